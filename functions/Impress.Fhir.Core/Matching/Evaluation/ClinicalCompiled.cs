using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>The criteria on one value of the patient: TMB, MSI, GIS, tumour type, age, ECOG. A missing value is unknown.</summary>
internal sealed class ClinicalCompiled : CompiledCriterion
{
    private readonly Criterion _criterion;

    public ClinicalCompiled(Criterion criterion)
        : base(criterion) => _criterion = criterion;

    /// <summary>Decides without building the explanation (and without a delegate per call: re-matches run this millions of times).</summary>
    public override Outcome Evaluate(PreparedPatient patient)
    {
        var profile = patient.Profile;
        return _criterion switch
        {
            TmbCriterion tmb => profile.Tmb is { } value ? value.Value >= tmb.Min ? Outcome.Met : Outcome.NotMet : Outcome.Unknown,
            GisCriterion gis => profile.Gis is { } score ? score.Value >= gis.Min ? Outcome.Met : Outcome.NotMet : Outcome.Unknown,
            MsiCriterion { MinPercentUnstable: { } percent } => profile.Msi is { Value.PercentUnstable: { } share } ? share >= percent ? Outcome.Met : Outcome.NotMet : Outcome.Unknown,
            MsiCriterion => profile.Msi is { } msi ? msi.Value.IsHigh ? Outcome.Met : Outcome.NotMet : Outcome.Unknown,
            AgeCriterion age => profile.AgeYears is { } years
                ? (age.Min is null || years.Value >= age.Min) && (age.Max is null || years.Value <= age.Max) ? Outcome.Met : Outcome.NotMet
                : Outcome.Unknown,
            EcogCriterion ecog => profile.Ecog is { } status ? status.Value <= ecog.Max ? Outcome.Met : Outcome.NotMet : Outcome.Unknown,
            _ => Decide(profile).Outcome,
        };
    }

    public override Explanation Explain(PreparedPatient patient)
    {
        var (outcome, evidence, note) = Decide(patient.Profile);
        return Explanation.Leaf(Description, outcome, evidence is { } e ? [e] : [], note);
    }

    private (Outcome Outcome, Evidence? Evidence, string? Note) Decide(PatientProfile profile) => _criterion switch
    {
        TmbCriterion tmb => Compare(profile.Tmb, value => value >= tmb.Min, "No TMB is reported."),
        GisCriterion gis => Compare(profile.Gis, value => value >= gis.Min, "No genomic instability score is reported."),
        MsiCriterion { MinPercentUnstable: { } percent } => profile.Msi is { Value.PercentUnstable: { } share } msi
            ? (share >= percent ? Outcome.Met : Outcome.NotMet, new Evidence(msi.Evidence, msi.Display), null)
            : (Outcome.Unknown, null, "No share of unstable microsatellite sites is reported."),
        MsiCriterion => Compare(profile.Msi, value => value.IsHigh, "No MSI status is reported."),
        TumorTypeCriterion tumor => TumorType(profile, tumor),
        AgeCriterion age => Compare(profile.AgeYears, value => (age.Min is null || value >= age.Min) && (age.Max is null || value <= age.Max), "The patient's age is not known."),
        EcogCriterion ecog => Compare(profile.Ecog, value => value <= ecog.Max, "No ECOG performance status is recorded."),
        _ => throw new InvalidOperationException($"Not a clinical criterion: {_criterion.GetType().Name}."),
    };

    private static (Outcome, Evidence?, string?) Compare<T>(Finding<T>? finding, Func<T, bool> holds, string missing) where T : struct =>
        finding is { } value ? (holds(value.Value) ? Outcome.Met : Outcome.NotMet, new Evidence(value.Evidence, value.Display), null) : (Outcome.Unknown, null, missing);

    private static (Outcome, Evidence?, string?) TumorType(PatientProfile profile, TumorTypeCriterion tumor)
    {
        var byCode = tumor.Icd10.Count > 0 ? profile.Diagnosis is { } diagnosis
            ? tumor.Icd10.Any(prefix => diagnosis.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) ? Outcome.Met : Outcome.NotMet
            : Outcome.Unknown : Outcome.NotMet;
        var byMorphology = tumor.Morphology.Count > 0 ? profile.Morphology is { } morphology
            ? tumor.Morphology.Any(prefix => morphology.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) ? Outcome.Met : Outcome.NotMet
            : Outcome.Unknown : Outcome.NotMet;
        var outcome = byCode == Outcome.Met || byMorphology == Outcome.Met ? Outcome.Met
            : byCode == Outcome.Unknown || byMorphology == Outcome.Unknown ? Outcome.Unknown : Outcome.NotMet;
        var evidence = profile.Diagnosis is { } d ? new Evidence(d.Evidence, d.Display) : profile.Morphology is { } m ? new Evidence(m.Evidence, m.Display) : (Evidence?)null;
        return (outcome, evidence, outcome == Outcome.Unknown ? "The tumour diagnosis is not known." : null);
    }
}
