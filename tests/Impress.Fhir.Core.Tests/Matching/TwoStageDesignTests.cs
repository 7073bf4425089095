using Impress.Fhir.Matching.Catalog;

namespace Impress.Fhir.Core.Tests.Matching;

public sealed class TwoStageDesignTests
{
    [Theory]
    [InlineData(0, 0, 0, CohortStage.StageOne, CohortAvailability.Open, 8)]
    [InlineData(5, 3, 0, CohortStage.StageOne, CohortAvailability.Open, 3)]
    [InlineData(8, 6, 0, CohortStage.StageOne, CohortAvailability.AwaitingEvaluation, 0)]
    [InlineData(8, 8, 0, CohortStage.Closed, CohortAvailability.Closed, 0)]
    [InlineData(8, 3, 1, CohortStage.StageTwo, CohortAvailability.Open, 16)]
    [InlineData(10, 8, 2, CohortStage.StageTwo, CohortAvailability.Open, 14)]
    [InlineData(24, 20, 3, CohortStage.StageTwo, CohortAvailability.AwaitingEvaluation, 0)]
    [InlineData(24, 24, 4, CohortStage.Closed, CohortAvailability.Closed, 0)]
    [InlineData(24, 24, 5, CohortStage.Expansion, CohortAvailability.Open, null)]
    public void Eight_patients_then_twenty_four_if_one_benefits_then_expansion_at_five(int enrolled, int evaluated, int benefit, CohortStage stage, CohortAvailability availability, int? slots)
    {
        var state = TwoStageDesign.Evaluate(new CohortAccounting(enrolled, evaluated, benefit));

        Assert.Equal((stage, availability, slots), (state.Stage, state.Availability, state.OpenSlots));
    }

    [Fact]
    public void An_inactive_cohort_is_closed_whatever_its_counts()
    {
        var cohort = new Cohort("C", "arm", "C", "tumour", ["C18"], IsActive: false, new CohortAccounting(1, 0, 0));

        Assert.Equal(CohortAvailability.Closed, cohort.State.Availability);
    }
}
