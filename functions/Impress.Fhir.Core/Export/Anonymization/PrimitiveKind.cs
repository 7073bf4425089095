namespace Impress.Fhir.Export.Anonymization;

/// <summary>What an element's value is, as far as the methods care: which of them can transform it, and into what.</summary>
internal enum PrimitiveKind : byte
{
    /// <summary>A complex element (a data type, a backbone element, a resource).</summary>
    None,

    /// <summary>A value held as text that has no syntax of its own to keep: string, markdown, code, id, uri and the like.</summary>
    Text,

    /// <summary>A narrative's XHTML: text between tags.</summary>
    Xhtml,

    /// <summary>Base64 binary: text, but not one anyone reads.</summary>
    Base64,

    Date,
    DateTime,
    Instant,
    Time,
    Integer,
    PositiveInt,
    UnsignedInt,
    Integer64,
    Decimal,
    Boolean,
}
