using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Publishing;
using Impress.Fhir.Review;
using Impress.Fhir.Testing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Core.Tests.Review;

/// <summary>The review Task's decision rule, a cohort's accounting and stage, the delivery Task's life, what an EHR receives.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class ReviewAndDeliveryTests(ValidatorFixture fixture)
{
    private static FhirTask ExampleReview() =>
        (FhirTask)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Profiles, "examples", "Task-impress-example-review.json"))).Resource;

    [Fact]
    public void The_example_review_is_valid_and_accepted_in_its_cohort()
    {
        var review = ExampleReview();

        Assert.True(fixture.Validator.Validate(review).IsValid);
        Assert.Equal(ReviewDecision.Accepted, ReviewTasks.DecisionOf(review));
        Assert.Equal("ResearchStudy/cohort-vemcob-crc", ReviewTasks.ChosenCohort(review));
    }

    [Fact]
    public void A_completed_review_without_a_decision_names_businessStatus()
    {
        var review = ExampleReview();
        review.BusinessStatus = null;

        var issue = Assert.Single(fixture.Validator.Validate(review).Issues, i => i.IsError);

        Assert.Equal("review-decision", issue.RuleId);
        Assert.Equal("Task.businessStatus", issue.Expression);
    }

    [Fact]
    public void An_accepted_review_without_a_cohort_and_a_declined_one_without_a_reason_are_invalid()
    {
        var accepted = ExampleReview();
        accepted.Output.Clear();
        var declined = ExampleReview();
        declined.BusinessStatus = Workflow.Concept("declined");

        Assert.Contains(fixture.Validator.Validate(accepted).Issues, i => i.IsError && i.Expression == "Task.output");
        Assert.Contains(fixture.Validator.Validate(declined).Issues, i => i.IsError && i.Expression == "Task.statusReason");
        declined.StatusReason = new CodeableConcept { Text = "not fit for treatment" };
        Assert.True(fixture.Validator.Validate(declined).IsValid);
    }

    [Fact]
    public void An_open_review_needs_no_decision()
    {
        var review = ExampleReview();
        review.Status = FhirTask.TaskStatus.Requested;
        review.BusinessStatus = null;
        review.Output.Clear();

        Assert.True(fixture.Validator.Validate(review).IsValid);
    }

    [Theory]
    [InlineData(7, 0, 0, "stage-1", "active")]
    [InlineData(8, 7, 0, "stage-1", "active")]
    [InlineData(8, 8, 0, "closed", "closed-to-accrual")]
    [InlineData(8, 8, 1, "stage-2", "active")]
    [InlineData(24, 24, 5, "expansion", "active")]
    [InlineData(24, 24, 4, "closed", "closed-to-accrual")]
    public void Accounting_moves_the_cohort_through_the_two_stages(int enrolled, int evaluated, int benefit, string stage, string status)
    {
        var study = new ResearchStudy { Title = "Test cohort", Status = ResearchStudy.ResearchStudyStatus.Active };

        CatalogStudies.SetAccounting(study, new CohortAccounting(enrolled, evaluated, benefit));

        Assert.Equal(stage, study.GetExtensionValue<Code>(CatalogStudies.CohortStageExtension).Value);
        Assert.Equal(status, study.Status!.Value.GetLiteral());
        Assert.Equal(new CohortAccounting(enrolled, evaluated, benefit), CatalogStudies.AccountingOf(study));
        Assert.Contains($"{benefit} of {evaluated}", study.Text!.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_is_due_when_requested_and_again_when_its_lease_runs_out()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var task = DeliveryTasks.New("CarePlan/1", "Patient/1", new ResourceReference { Display = "OUS" }, now);
        Assert.True(DeliveryTasks.IsDue(task, now, TimeSpan.FromMinutes(2)));

        DeliveryTasks.Claim(task, now);
        Assert.Equal(1, DeliveryTasks.Attempts(task));
        Assert.False(DeliveryTasks.IsDue(task, now.AddMinutes(1), TimeSpan.FromMinutes(2)));
        Assert.True(DeliveryTasks.IsDue(task, now.AddMinutes(2), TimeSpan.FromMinutes(2)));

        DeliveryTasks.Retry(task, now, now.AddSeconds(10), "The EHR answered 503.");
        Assert.False(DeliveryTasks.IsDue(task, now.AddSeconds(9), TimeSpan.FromMinutes(2)));
        Assert.True(DeliveryTasks.IsDue(task, now.AddSeconds(10), TimeSpan.FromMinutes(2)));
        Assert.Equal(1, DeliveryTasks.Attempts(task));

        DeliveryTasks.Claim(task, now.AddSeconds(10));
        DeliveryTasks.DeadLetter(task, now.AddSeconds(11), "The EHR answered 400.", new OperationOutcome { Issue = [new() { Diagnostics = "bad" }] });
        Assert.Equal((FhirTask.TaskStatus.Failed, 2, "bad"), (task.Status!.Value, DeliveryTasks.Attempts(task), DeliveryTasks.EhrOutcome(task)!.Issue[0].Diagnostics));
        Assert.False(DeliveryTasks.IsDue(task, now.AddDays(1), TimeSpan.FromMinutes(2)));
        Assert.True(fixture.Validator.Validate(task).IsValid);

        DeliveryTasks.Reopen(task, now.AddDays(1));
        Assert.Equal((0, null), (DeliveryTasks.Attempts(task), DeliveryTasks.EhrOutcome(task)));
        Assert.True(DeliveryTasks.IsDue(task, now.AddDays(1), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void What_an_EHR_receives_has_no_ids_of_ours_and_references_it_can_resolve()
    {
        var plan = (CarePlan)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Profiles, "examples", "CarePlan-impress-example-careplan.json"))).Resource;
        var map = new Dictionary<string, ResourceReference>
        {
            ["Patient/impress-example-patient"] = new() { Type = "Patient", Identifier = new Identifier("urn:oid:2.16.578.1.12.4.1.4.1", "15836148239") },
            ["ResearchStudy/cohort-vemcob-crc"] = new("ResearchStudy/77"),
        };

        var sent = (CarePlan)EhrResources.Outbound(plan, map);

        Assert.Null(sent.Id);
        Assert.Equal("15836148239", sent.Subject!.Identifier!.Value);
        Assert.Null(sent.Subject.Reference);
        Assert.Equal("ResearchStudy/77", sent.GetExtensionValue<ResourceReference>(Impress.Fhir.Profiles.ImpressProfiles.CohortExtension).Reference);
        Assert.Equal("Vemurafenib + cobimetinib in BRAF V600-mutated colorectal cancer", sent.GetExtensionValue<ResourceReference>(Impress.Fhir.Profiles.ImpressProfiles.CohortExtension).Display);
        Assert.All(sent.SupportingInfo, r => Assert.Null(r.Reference));
        Assert.Equal("CarePlan/impress-example-careplan", "CarePlan/" + plan.Id); // the original is untouched
        Assert.Contains("ResearchStudy/cohort-vemcob-crc", EhrResources.ReferencesOf(plan));
    }
}
