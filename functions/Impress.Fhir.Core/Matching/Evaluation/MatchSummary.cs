using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Patients;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>The one or two sentences a tumour board reads first: the result, the evidence, and the cohort's place for the patient.</summary>
internal static class MatchSummary
{
    public static string Of(Arm arm, MatchResult result, Cohort? cohort, CohortState? state, string? exclusion, Explanation root, PatientProfile profile)
    {
        var evidence = root.Parts.Count > 0 ? Leaves(root.Parts[0]).Where(n => n.Outcome == Outcome.Met).SelectMany(n => n.Evidence).Select(e => e.Display).Distinct().ToList() : [];
        switch (result)
        {
            case MatchResult.Matched:
                return $"Matches {arm.Title}{(evidence.Count > 0 ? ": " + string.Join("; ", evidence) : "")}. {Place(arm, cohort, state, profile)}";
            case MatchResult.NeedsMoreData:
                var missing = Leaves(root).Where(n => n.Outcome == Outcome.Unknown).Select(n => n.Note ?? n.Description).Distinct();
                return $"May match {arm.Title}; to decide: {string.Join(" ", missing)}";
            default:
                if (exclusion is not null)
                {
                    return $"Excluded from {arm.Title}: {exclusion}";
                }

                var failed = root.Parts.Count > 0 ? FirstFailure(root) : null;
                if (failed is null)
                {
                    return $"Does not match {arm.Title}.";
                }

                var asked = failed.Parts.Count > 0 && failed.Description == "any of"
                    ? "none of: " + string.Join("; ", failed.Parts.Select(p => p.Description))
                    : "not " + failed.Description;
                var shown = Leaves(failed).SelectMany(n => n.Evidence).Select(e => e.Display).Distinct().ToList();
                var why = shown.Count > 0 ? string.Join("; ", shown) : failed.Note ?? Leaves(failed).Select(n => n.Note).FirstOrDefault(n => n is not null);
                return $"Does not match {arm.Title}: {asked}{(why is null ? "" : $" ({why.TrimEnd('.')})")}.";
        }
    }

    private static string Place(Arm arm, Cohort? cohort, CohortState? state, PatientProfile profile)
    {
        if (cohort is null || state is not { } s)
        {
            var tumour = profile.Diagnosis is { } d ? d.Display : "the patient's tumour type";
            return $"No cohort of this arm for {tumour} yet: the Mol-MDT may open one.";
        }

        var stage = s.Stage switch
        {
            CohortStage.StageOne => "stage 1",
            CohortStage.StageTwo => "stage 2",
            CohortStage.Expansion => "expansion",
            _ => "closed",
        };
        return s.Availability switch
        {
            CohortAvailability.Open when s.OpenSlots is { } slots => $"Cohort {cohort.Id} ({cohort.TumorType}) is open in {stage}: {slots} place{(slots == 1 ? "" : "s")} left.",
            CohortAvailability.Open => $"Cohort {cohort.Id} ({cohort.TumorType}) is open ({stage}).",
            CohortAvailability.AwaitingEvaluation => $"Cohort {cohort.Id} ({cohort.TumorType}) is full in {stage}, awaiting the week-16 evaluations.",
            _ => $"Cohort {cohort.Id} ({cohort.TumorType}) is closed.",
        };
    }

    private static Explanation? FirstFailure(Explanation node)
    {
        foreach (var part in node.Parts)
        {
            if (part.Outcome == Outcome.NotMet && !part.IsExclusion)
            {
                return part.Parts.Count == 0 || part.Description is "any of" ? part : FirstFailure(part) ?? part;
            }
        }

        return null;
    }

    private static IEnumerable<Explanation> Leaves(Explanation node) =>
        node.Parts.Count == 0 ? [node] : node.Parts.Where(p => !p.IsExclusion || p.Outcome != Outcome.NotMet).SelectMany(Leaves);
}
