namespace Impress.Fhir.Tso500;

/// <summary>
/// What one section of a file held and what of it the import carries, so a lab engineer can see that nothing was
/// dropped: for a table its rows, for a block its fields. <see cref="NotImported"/> names the fields or columns
/// with values that the report does not carry.
/// </summary>
public sealed record SectionAccount(
    string Source,
    string Section,
    int Line,
    SectionShape Shape,
    int Read,
    int Empty,
    int Imported,
    IReadOnlyList<string> NotImported);

/// <summary>How a section is laid out.</summary>
public enum SectionShape
{
    /// <summary>"Key\tvalue" lines.</summary>
    Fields,

    /// <summary>A header line and one row per result.</summary>
    Rows,

    /// <summary>A section this importer does not know: its lines are counted, not imported.</summary>
    Unknown,
}
