namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// A protein change a rule asks for, in one- or three-letter amino acid codes: exact ("p.V600E", "p.R1450*") or,
/// when it names only a residue ("p.V600", as MatchMiner's wildcard_protein_change does), any change that starts
/// at that residue (V600E, V600K, V600_K601delinsE, ...).
/// </summary>
public sealed record ProteinPattern(string Text, ProteinChange Change)
{
    public bool IsWildcard => Change.IsResidueOnly;

    public static bool TryParse(string text, out ProteinPattern? pattern)
    {
        pattern = ProteinChange.TryParse(text, out var change) ? new ProteinPattern(text.Trim(), change!) : null;
        return pattern is not null;
    }

    public bool Matches(ProteinChange observed) => IsWildcard
        ? observed.Position == Change.Position && observed.Reference == Change.Reference
        : observed.Canonical == Change.Canonical;
}
