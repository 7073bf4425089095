using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Patients;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// A catalog compiled for matching. <see cref="Match"/> gives one patient every arm, explained and ranked;
/// <see cref="Decide(PreparedPatient, Span{MatchResult})"/> only decides, for re-matching many patients at once.
/// Thread-safe: compiled once, shared by every request.
/// </summary>
public sealed class Matcher
{
    private readonly GeneIndex _genes = new();
    private readonly CompiledArm[] _arms;

    public Matcher(CohortCatalog catalog)
    {
        Catalog = catalog;
        _arms = catalog.Arms.Select(arm => new CompiledArm(
            arm,
            CompiledCriterion.Compile(arm.Rule.Biomarker, _genes),
            arm.Rule.Eligibility is { } eligibility ? CompiledCriterion.Compile(eligibility, _genes) : null,
            arm.Rule.Exclusions.Select(e => (CompiledCriterion.Compile(e.When, _genes), e.Reason)).ToArray())).ToArray();
    }

    public CohortCatalog Catalog { get; }

    public int ArmCount => _arms.Length;

    public PreparedPatient Prepare(PatientProfile profile) => new(profile, _genes);

    /// <summary>Every arm for one patient, explained, best first.</summary>
    public IReadOnlyList<ArmMatch> Match(PatientProfile profile)
    {
        var patient = Prepare(profile);
        var matches = _arms.Select(arm => Explain(arm, patient)).ToList();
        return matches
            .OrderBy(m => m.Result)
            .ThenBy(m => AvailabilityOrder(m))
            .ThenBy(m => m.Arm.Id, StringComparer.Ordinal)
            .Select((m, i) => m with { Rank = i + 1 })
            .ToList();
    }

    /// <summary>The result of every arm for one patient, in catalog order, without explanations.</summary>
    public void Decide(PreparedPatient patient, Span<MatchResult> results)
    {
        for (var i = 0; i < _arms.Length; i++)
        {
            results[i] = Decide(_arms[i], patient);
        }
    }

    private static MatchResult Decide(CompiledArm arm, PreparedPatient patient)
    {
        var outcome = arm.Biomarker.Evaluate(patient);
        if (outcome == Outcome.NotMet)
        {
            return MatchResult.NotMatched;
        }

        if (arm.Eligibility is { } eligibility)
        {
            var eligible = eligibility.Evaluate(patient);
            if (eligible == Outcome.NotMet)
            {
                return MatchResult.NotMatched;
            }

            outcome = eligible == Outcome.Unknown ? Outcome.Unknown : outcome;
        }

        foreach (var (when, _) in arm.Exclusions)
        {
            var excluded = when.Evaluate(patient);
            if (excluded == Outcome.Met)
            {
                return MatchResult.NotMatched;
            }

            outcome = excluded == Outcome.Unknown ? Outcome.Unknown : outcome;
        }

        return outcome == Outcome.Met ? MatchResult.Matched : MatchResult.NeedsMoreData;
    }

    private static ArmMatch Explain(CompiledArm arm, PreparedPatient patient)
    {
        var parts = new List<Explanation> { arm.Biomarker.Explain(patient) };
        if (arm.Eligibility is { } eligibility)
        {
            parts.Add(eligibility.Explain(patient));
        }

        string? exclusion = null;
        foreach (var (when, reason) in arm.Exclusions)
        {
            var explained = when.Explain(patient);
            parts.Add(new Explanation($"{Explanation.ExclusionPrefix}{reason}", explained.Outcome, explained.Evidence, explained.Note, [explained]));
            exclusion ??= explained.Outcome == Outcome.Met ? reason : null;
        }

        var result = Decide(arm, patient);
        var root = new Explanation($"{arm.Arm.Title}", result switch
        {
            MatchResult.Matched => Outcome.Met,
            MatchResult.NeedsMoreData => Outcome.Unknown,
            _ => Outcome.NotMet,
        }, [], null, parts);

        var cohort = result == MatchResult.NotMatched ? null : arm.Arm.CohortFor(patient.Profile.Diagnosis?.Value);
        var state = cohort?.State;
        return new ArmMatch(arm.Arm, result, cohort, state, exclusion, root, MatchSummary.Of(arm.Arm, result, cohort, state, exclusion, root, patient.Profile), 0);
    }

    private static int AvailabilityOrder(ArmMatch match) => match.CohortState switch
    {
        { Availability: CohortAvailability.Open } => 0,
        null when match.Result != MatchResult.NotMatched => 1,
        { Availability: CohortAvailability.AwaitingEvaluation } => 2,
        _ => 3,
    };

    private sealed record CompiledArm(Arm Arm, CompiledCriterion Biomarker, CompiledCriterion? Eligibility, (CompiledCriterion When, string Reason)[] Exclusions);
}
