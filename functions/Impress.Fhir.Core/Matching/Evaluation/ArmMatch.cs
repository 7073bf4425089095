using Impress.Fhir.Matching.Catalog;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// How a patient fares against one arm: matched, not matched or needs more data; the cohort for their tumour type
/// and where it stands; the exclusion that applied; the explanation, criterion by criterion; and a summary a
/// tumour board reads. <see cref="Rank"/> orders the arms of one patient, 1 first.
/// </summary>
public sealed record ArmMatch(
    Arm Arm,
    MatchResult Result,
    Cohort? Cohort,
    CohortState? CohortState,
    string? Exclusion,
    Explanation Explanation,
    string Summary,
    int Rank)
{
    /// <summary>The resources behind what was met (the variants, TMB, MSI, the diagnosis), each once.</summary>
    public IReadOnlyList<Evidence> SupportingEvidence => Explanation.DepthFirst()
        .Where(n => n.Node.Outcome == Outcome.Met && n.Node.Parts.Count == 0 && !n.Node.IsExclusion)
        .SelectMany(n => n.Node.Evidence)
        .DistinctBy(e => e.Reference)
        .ToList();

    /// <summary>Where the patient would go: the cohort, or the arm when no cohort exists for the tumour type yet.</summary>
    public string CohortOrArmReference => Cohort?.Reference ?? Arm.Reference;
}
