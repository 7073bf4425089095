using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Catalog;

/// <summary>
/// A treatment arm: a drug or combination offered to patients whose tumour carries a biomarker, its rule, and its
/// cohorts (one per tumour type the trial has opened the arm for).
/// </summary>
public sealed record Arm(
    string Id,
    string Title,
    string RuleVersion,
    IReadOnlyList<Drug> Drugs,
    ArmRule Rule,
    string RuleJson,
    IReadOnlyList<Cohort> Cohorts)
{
    /// <summary>The arm's ResearchStudy, as the store or package knows it ("ResearchStudy/arm-olaparib").</summary>
    public string Reference { get; init; } = "ResearchStudy/arm-" + Id;

    /// <summary>A short statement of the biomarker, for a ResearchStudy keyword and a tumour board.</summary>
    public string? Biomarker { get; init; }

    /// <summary>The cohort whose tumour type the diagnosis falls under: the most specific ICD-10 prefix wins.</summary>
    public Cohort? CohortFor(string? icd10)
    {
        if (icd10 is null)
        {
            return null;
        }

        Cohort? best = null;
        var bestLength = -1;
        foreach (var cohort in Cohorts)
        {
            foreach (var prefix in cohort.Icd10)
            {
                if (icd10.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && prefix.Length > bestLength)
                {
                    (best, bestLength) = (cohort, prefix.Length);
                }
            }
        }

        return best;
    }
}

/// <summary>A drug of an arm: its name, ATC code and dosing.</summary>
public sealed record Drug(string Name, string? Atc, string? Dosing);

/// <summary>A cohort: the arm in one tumour type, with its two-stage accounting.</summary>
public sealed record Cohort(
    string Id,
    string ArmId,
    string Title,
    string TumorType,
    IReadOnlyList<string> Icd10,
    bool IsActive,
    CohortAccounting Accounting)
{
    public string Reference { get; init; } = "ResearchStudy/cohort-" + Id.ToLowerInvariant();

    /// <summary>The cohort's stage and availability: an inactive ResearchStudy is closed whatever its counts.</summary>
    public CohortState State => IsActive
        ? TwoStageDesign.Evaluate(Accounting)
        : new CohortState(CohortStage.Closed, CohortAvailability.Closed, 0);
}
