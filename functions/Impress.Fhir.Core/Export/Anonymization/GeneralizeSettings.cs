namespace Impress.Fhir.Export.Anonymization;

/// <summary>The settings of a generalize rule: its cases, tried in order, and what happens to values none matches.</summary>
public sealed record GeneralizeSettings(IReadOnlyList<GeneralizeCase> Cases, GeneralizeOtherValues OtherValues);
