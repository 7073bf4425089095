namespace Impress.Fhir.Tso500.Findings;

/// <summary>A result read from a CombinedVariantOutput.tsv, with the section and line it came from.</summary>
public abstract record Tso500Finding(string Section, int Line);
