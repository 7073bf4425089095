namespace Impress.Fhir.Matching.Catalog;

/// <summary>
/// The trial's two-stage rule for a cohort: 8 patients; if at least 1 of the 8 has clinical benefit at week 16, 16
/// more (24 in all); none of 8 closes the cohort; at least 5 of 24 with benefit opens an expansion cohort.
/// </summary>
public static class TwoStageDesign
{
    public const int StageOnePatients = 8;
    public const int StageTwoPatients = 24;
    public const int StageOneMinimumBenefit = 1;
    public const int ExpansionMinimumBenefit = 5;

    /// <summary>Where a cohort stands given its accounting, and how many patients it can take now.</summary>
    public static CohortState Evaluate(CohortAccounting accounting)
    {
        var (enrolled, evaluated, benefit) = (accounting.Enrolled, accounting.Evaluated, accounting.Benefit);
        if (enrolled < StageOnePatients)
        {
            return new CohortState(CohortStage.StageOne, CohortAvailability.Open, StageOnePatients - enrolled);
        }

        if (evaluated < StageOnePatients && benefit < StageOneMinimumBenefit)
        {
            // Stage 1 is full and not decided: the week-16 outcomes of the first eight are awaited.
            return new CohortState(CohortStage.StageOne, CohortAvailability.AwaitingEvaluation, 0);
        }

        if (benefit < StageOneMinimumBenefit)
        {
            return new CohortState(CohortStage.Closed, CohortAvailability.Closed, 0);
        }

        if (enrolled < StageTwoPatients)
        {
            return new CohortState(CohortStage.StageTwo, CohortAvailability.Open, StageTwoPatients - enrolled);
        }

        if (benefit >= ExpansionMinimumBenefit)
        {
            return new CohortState(CohortStage.Expansion, CohortAvailability.Open, null);
        }

        return evaluated < StageTwoPatients
            ? new CohortState(CohortStage.StageTwo, CohortAvailability.AwaitingEvaluation, 0)
            : new CohortState(CohortStage.Closed, CohortAvailability.Closed, 0);
    }
}

/// <summary>Patients enrolled, evaluated at week 16, and of those with clinical benefit.</summary>
public readonly record struct CohortAccounting(int Enrolled, int Evaluated, int Benefit);

/// <summary>A cohort's stage, whether it takes patients now, and how many more (null: no fixed limit, an expansion).</summary>
public readonly record struct CohortState(CohortStage Stage, CohortAvailability Availability, int? OpenSlots);

/// <summary>The stages of CodeSystem impress-cohort-stage.</summary>
public enum CohortStage
{
    StageOne,
    StageTwo,
    Expansion,
    Closed,
}

/// <summary>Whether a cohort takes patients.</summary>
public enum CohortAvailability
{
    Open,
    AwaitingEvaluation,
    Closed,
}
