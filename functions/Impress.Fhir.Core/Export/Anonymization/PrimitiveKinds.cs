using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>The kind of a POCO's value, and what each kind allows.</summary>
internal static class PrimitiveKinds
{
    public static PrimitiveKind Of(Base value) => value switch
    {
        not PrimitiveType => PrimitiveKind.None,
        Date => PrimitiveKind.Date,
        FhirDateTime => PrimitiveKind.DateTime,
        Instant => PrimitiveKind.Instant,
        Time => PrimitiveKind.Time,
        PositiveInt => PrimitiveKind.PositiveInt,
        UnsignedInt => PrimitiveKind.UnsignedInt,
        Integer => PrimitiveKind.Integer,
        Integer64 => PrimitiveKind.Integer64,
        FhirDecimal => PrimitiveKind.Decimal,
        FhirBoolean => PrimitiveKind.Boolean,
        XHtml => PrimitiveKind.Xhtml,
        Base64Binary => PrimitiveKind.Base64,
        _ => PrimitiveKind.Text,
    };

    public static bool IsDate(this PrimitiveKind kind) => kind is PrimitiveKind.Date or PrimitiveKind.DateTime or PrimitiveKind.Instant;

    public static bool IsNumber(this PrimitiveKind kind) =>
        kind is PrimitiveKind.Integer or PrimitiveKind.PositiveInt or PrimitiveKind.UnsignedInt or PrimitiveKind.Integer64 or PrimitiveKind.Decimal;

    /// <summary>Values a hash or a ciphertext can take the place of without breaking the element's syntax.</summary>
    public static bool HoldsAnyText(this PrimitiveKind kind) => kind is PrimitiveKind.Text or PrimitiveKind.Base64;

    /// <summary>Values the scrub reads: everything written as text for people, markup included.</summary>
    public static bool IsReadableText(this PrimitiveKind kind) => kind is PrimitiveKind.Text or PrimitiveKind.Xhtml;
}
