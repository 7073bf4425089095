namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// An arm's rule (rule language v1): the biomarker it treats, the eligibility every patient must meet (tumour
/// types, age, ECOG), and the exclusions, each with the reason a tumour board reads (most often on-label use).
/// </summary>
public sealed record ArmRule(int LanguageVersion, Criterion Biomarker, Criterion? Eligibility, IReadOnlyList<Exclusion> Exclusions)
{
    public const int CurrentLanguageVersion = 1;
}

/// <summary>When <see cref="When"/> holds, the patient is not eligible for the arm, for <see cref="Reason"/>.</summary>
public sealed record Exclusion(Criterion When, string Reason);
