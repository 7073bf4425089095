using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Publishing;
using Impress.Fhir.Review;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Api.Tests.Publishing;

/// <summary>
/// From a posted report to the hospital's EHR: proposals and their review Tasks, the Mol-MDT's decision, the
/// outbox delivering to WireMock EHRs through every fault the EHR can throw at it.
/// </summary>
public sealed class PublishingTests
{
    private const string Vemcob = "vemurafenib-cobimetinib";
    private const string VemcobCrc = "ResearchStudy/cohort-vemcob-crc";

    private static async Task<PublishingServer> StartAsync(params IEnumerable<string>[] configuration)
    {
        var server = new PublishingServer([.. configuration.SelectMany(c => c)]);
        await server.InitializeAsync();
        return server;
    }

    /// <summary>Posts the example report as the <paramref name="n"/>th patient's and waits for it to be matched (and its proposals' deliveries begun).</summary>
    private static async Task<string> PostReportAsync(PublishingServer server, int n, string organizationNumber = PublishingServer.OsloOrganizationNumber)
    {
        var patient = PublishingServer.PatientOf((await server.Client().TransactionAsync(PublishingServer.ReportOf(n, organizationNumber)))!);
        await server.PipelineIdleAsync();
        return patient;
    }

    [Fact]
    public async Task A_posted_report_reaches_the_hospital_EHR_through_the_Mol_MDT_review()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 701);

            // Each proposal has its review, owned by the Mol-MDT, and is published at once as a proposal.
            var proposal = await server.ProposalAsync(patient, Vemcob);
            var review = await server.ReviewOfAsync(patient, Vemcob);
            Assert.Equal(FhirTask.TaskStatus.Requested, review.Status);
            Assert.Equal("CarePlan/" + proposal.Id, review.Focus!.Reference);
            Assert.Equal("993467049", review.Owner!.Identifier!.Value);
            await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
            var published = Assert.Single(ehr.Stored("CarePlan"), r => r.Identifier.EndsWith("|" + Vemcob, StringComparison.Ordinal));
            Assert.Equal(CarePlan.CarePlanIntent.Proposal, ((CarePlan)published.Resource).Intent);

            // The Mol-MDT accepts it in the colorectal cohort.
            var enrolledBefore = CatalogStudies.AccountingOf((await server.Client().ReadAsync<ResearchStudy>(VemcobCrc))!).Enrolled;
            await server.AcceptAsync(review, VemcobCrc);

            var plan = (await server.Client().ReadAsync<CarePlan>("CarePlan/" + proposal.Id))!;
            Assert.Equal((CarePlan.CarePlanIntent.Plan, RequestStatus.Active), (plan.Intent!.Value, plan.Status!.Value));
            var subjects = await server.Client().SearchAsync<ResearchSubject>([$"individual={patient}"]);
            var subject = (ResearchSubject)Assert.Single(subjects!.Entry).Resource!;
            Assert.Equal((ResearchSubject.ResearchSubjectStatus.Candidate, VemcobCrc), (subject.Status!.Value, subject.Study.Reference));
            Assert.Equal(enrolledBefore + 1, CatalogStudies.AccountingOf((await server.Client().ReadAsync<ResearchStudy>(VemcobCrc))!).Enrolled);

            // The EHR gets the plan and the subject, the studies they refer to before them, each once.
            await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
            await server.DeliveryReachesAsync("ResearchSubject/" + subject.Id, FhirTask.TaskStatus.Completed);
            var atEhr = (CarePlan)Assert.Single(ehr.Stored("CarePlan"), r => r.Identifier.EndsWith("|" + Vemcob, StringComparison.Ordinal)).Resource;
            Assert.Equal(CarePlan.CarePlanIntent.Plan, atEhr.Intent);
            Assert.Null(atEhr.Id);
            Assert.Equal(("urn:oid:2.16.578.1.12.4.1.4.1", SyntheticIdentitiesOf(701)), (atEhr.Subject!.Identifier!.System, atEhr.Subject.Identifier.Value));
            var requests = ehr.Requests.ToList();
            var cohortAtEhr = requests.First(r => r.Type == "ResearchStudy" && r.Identifier.EndsWith("|VEMCOB-CRC", StringComparison.Ordinal));
            var armAtEhr = requests.First(r => r.Type == "ResearchStudy" && r.Identifier.EndsWith("|" + Vemcob, StringComparison.Ordinal));
            var parentAtEhr = requests.First(r => r.Type == "ResearchStudy" && r.Identifier.EndsWith("|NCT04817956", StringComparison.Ordinal));
            Assert.True(parentAtEhr.At <= armAtEhr.At && armAtEhr.At <= cohortAtEhr.At && cohortAtEhr.At <= published.At);
            var cohortReference = atEhr.GetExtensionValue<ResourceReference>(Profiles.ImpressProfiles.CohortExtension).Reference;
            Assert.Matches("^ResearchStudy/[0-9]+$", cohortReference);
            Assert.Equal(cohortReference, ((ResearchSubject)Assert.Single(ehr.Stored("ResearchSubject")).Resource).Study.Reference);
            Assert.All(requests, r => Assert.NotEmpty(r.Identifier));
            await AllProposalsDeliveredAsync(server, patient);
            Assert.Equal(3, ehr.Stored("CarePlan").Count);

            // A decided review is not changed afterwards.
            var decided = (await server.Client().ReadAsync<FhirTask>("Task/" + review.Id))!;
            decided.BusinessStatus = Workflow.Concept("declined");
            decided.StatusReason = new CodeableConcept { Text = "second thoughts" };
            var refused = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().UpdateAsync(decided));
            Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_declined_proposal_is_revoked_at_the_EHR_and_stays_declined()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 702);
            var proposal = await server.ProposalAsync(patient, "alectinib");
            var review = await server.ReviewOfAsync(patient, "alectinib");

            review.Status = FhirTask.TaskStatus.Completed;
            review.BusinessStatus = Workflow.Concept("declined");
            var noReason = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().UpdateAsync(review));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.Status);
            Assert.Contains("statusReason", noReason.Outcome!.Issue[0].Expression.First(), StringComparison.Ordinal);

            review.StatusReason = new CodeableConcept { Text = "ECOG 3: not fit for treatment" };
            await server.Client().UpdateAsync(review);

            var plan = (await server.Client().ReadAsync<CarePlan>("CarePlan/" + proposal.Id))!;
            Assert.Equal(RequestStatus.Revoked, plan.Status);
            Assert.Contains("ECOG 3", plan.Description, StringComparison.Ordinal);
            await PublishingServer.EventuallyAsync(() => ehr.Stored("CarePlan").FirstOrDefault(r => r.Identifier.EndsWith("|alectinib", StringComparison.Ordinal) && ((CarePlan)r.Resource).Status == RequestStatus.Revoked), "the EHR has the revoked plan");

            // Matching the patient again (as a new report version would) does not bring the declined proposal back.
            await server.Services.GetRequiredService<IStageQueue>().SendAsync([new StageMessage(StageQueues.Match, patient)]);
            await server.PipelineIdleAsync();
            Assert.Equal(RequestStatus.Revoked, (await server.Client().ReadAsync<CarePlan>("CarePlan/" + proposal.Id))!.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_decision_for_a_cohort_of_another_arm_is_refused_and_changes_nothing()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 703);
            var proposal = await server.ProposalAsync(patient, Vemcob);
            var review = await server.ReviewOfAsync(patient, Vemcob);

            var refused = await Assert.ThrowsAsync<FhirOperationException>(() => server.AcceptAsync(review, "ResearchStudy/cohort-traper-crc"));

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
            Assert.Contains("not a cohort of the proposed arm", refused.Outcome!.Issue[0].Details!.Text, StringComparison.Ordinal);
            Assert.Equal(FhirTask.TaskStatus.Requested, (await server.Client().ReadAsync<FhirTask>("Task/" + review.Id))!.Status);
            Assert.Equal(RequestStatus.Draft, (await server.Client().ReadAsync<CarePlan>("CarePlan/" + proposal.Id))!.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_decision_sent_with_its_proposal_or_on_a_plan_not_from_matching_is_refused()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 716);
            var proposal = await server.ProposalAsync(patient, Vemcob);
            var review = await server.ReviewOfAsync(patient, Vemcob);
            review.Status = FhirTask.TaskStatus.Completed;
            review.BusinessStatus = Workflow.Concept("declined");
            review.StatusReason = new CodeableConcept { Text = "declined" };

            var both = new Bundle { Type = Bundle.BundleType.Transaction };
            both.Entry.Add(new Bundle.EntryComponent { Resource = review, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "Task/" + review.Id } });
            both.Entry.Add(new Bundle.EntryComponent { Resource = proposal, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = "CarePlan/" + proposal.Id } });
            var together = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().TransactionAsync(both));
            Assert.Equal(HttpStatusCode.Conflict, together.Status);

            var handMade = (CarePlan)proposal.DeepCopy();
            handMade.Id = null;
            handMade.Meta = null;
            handMade.Identifier = [new Identifier("urn:oid:2.16.578.1.12.4.1.2.99", "plan-716")];
            handMade = (await server.Client().CreateAsync(handMade))!;
            review.Focus = new ResourceReference("CarePlan/" + handMade.Id);
            var notAProposal = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().UpdateAsync(review));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, notAProposal.Status);
            Assert.Contains("not a proposal from matching", notAProposal.Outcome!.Issue[0].Details!.Text, StringComparison.Ordinal);

            Assert.Equal(RequestStatus.Draft, (await server.Client().ReadAsync<CarePlan>("CarePlan/" + proposal.Id))!.Status);
            Assert.Equal(FhirTask.TaskStatus.Requested, (await server.Client().ReadAsync<FhirTask>("Task/" + review.Id))!.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Week_16_outcomes_drive_the_cohort_accounting()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 704);
            await server.AcceptAsync(await server.ReviewOfAsync(patient, Vemcob), VemcobCrc);
            var before = CatalogStudies.AccountingOf((await server.Client().ReadAsync<ResearchStudy>(VemcobCrc))!);
            var subject = (ResearchSubject)(await server.Client().SearchAsync<ResearchSubject>([$"individual={patient}"]))!.Entry.Single().Resource!;

            subject.Status = ResearchSubject.ResearchSubjectStatus.OnStudy;
            subject = (await server.Client().UpdateAsync(subject))!;
            subject.SetExtension(Profiles.ImpressProfiles.Week16OutcomeExtension, Workflow.Concept("benefit"));
            subject = (await server.Client().UpdateAsync(subject))!;
            await server.Client().UpdateAsync(subject); // the same outcome again counts once

            var after = CatalogStudies.AccountingOf((await server.Client().ReadAsync<ResearchStudy>(VemcobCrc))!);
            Assert.Equal(before with { Evaluated = before.Evaluated + 1, Benefit = before.Benefit + 1 }, after);
            await PublishingServer.EventuallyAsync(() => ehr.Stored("ResearchSubject").FirstOrDefault(r => ((ResearchSubject)r.Resource).Status == ResearchSubject.ResearchSubjectStatus.OnStudy), "the EHR has the subject on study");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_503s_are_retried_and_the_third_try_delivers()
    {
        using var ehr = new FakeEhr();
        ehr.FailNextOf("CarePlan", FakeEhr.Status(503), FakeEhr.Status(503));
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 705);
            var proposal = await server.ProposalAsync(patient, Vemcob);

            var delivery = await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
            await AllProposalsDeliveredAsync(server, patient);

            Assert.Equal(2, ehr.Requests.Count(r => r.Status == 503));
            Assert.Equal(3, ehr.Stored("CarePlan").Count);
            Assert.Equal("delivered", delivery.BusinessStatus!.Coding[0].Code);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        using var ehr = new FakeEhr();
        ehr.FailNextOf("CarePlan", FakeEhr.Delay(TimeSpan.FromSeconds(3)));
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 706);
            var proposals = await MatchingTests.ProposalsOf(server.Client(), patient);

            foreach (var proposal in proposals)
            {
                await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
            }

            Assert.Equal(3, ehr.Stored("CarePlan").Count);
            Assert.Equal(ehr.Stored("ResearchStudy").Count, ehr.Requests.Where(r => r.Type == "ResearchStudy").Select(r => r.Identifier).Distinct().Count());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_400_is_a_dead_letter_keeping_the_EHRs_outcome_until_an_operator_re_drives_it()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr), ["--Publishing:MaxConcurrentDeliveries=1"]);
        try
        {
            ehr.FailNextOf("CarePlan", FakeEhr.Status(400, FakeEhr.Outcome("CarePlan.subject: unknown patient")));
            var patient = await PostReportAsync(server, 707);
            var proposals = await MatchingTests.ProposalsOf(server.Client(), patient);
            var deliveries = new List<FhirTask>();
            foreach (var proposal in proposals)
            {
                deliveries.Add(await PublishingServer.EventuallyAsync(async () => await server.DeliveryOfAsync("CarePlan/" + proposal.Id) is { Status: FhirTask.TaskStatus.Completed or FhirTask.TaskStatus.Failed } done ? done : null, "the delivery ended"));
            }

            var dead = deliveries.Where(d => d.Status == FhirTask.TaskStatus.Failed).ToList();
            Assert.Single(ehr.Requests, r => r.Status == 400);
            var letter = Assert.Single(dead);
            Assert.Equal("dead-letter", letter.BusinessStatus!.Coding[0].Code);
            Assert.Contains("answered 400", letter.StatusReason!.Text, StringComparison.Ordinal);
            Assert.Equal("CarePlan.subject: unknown patient", DeliveryTasks.EhrOutcome(letter)!.Issue[0].Diagnostics);
            Assert.Equal(1, DeliveryTasks.Attempts(letter));

            letter.Status = FhirTask.TaskStatus.Requested;
            await server.Client().UpdateAsync(letter);
            await server.DeliveryReachesAsync(letter.Focus!.Reference!, FhirTask.TaskStatus.Completed);
            Assert.Equal(3, ehr.Stored("CarePlan").Count);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_token_the_EHR_no_longer_accepts_is_renewed_once_and_the_delivery_goes_through()
    {
        using var ehr = new FakeEhr(requireToken: true);
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var first = await PostReportAsync(server, 708);
            await server.DeliveryReachesAsync("CarePlan/" + (await server.ProposalAsync(first, Vemcob)).Id, FhirTask.TaskStatus.Completed);
            Assert.Equal(1, ehr.TokensIssued);
            Assert.All(ehr.Requests, r => Assert.Equal("Bearer token-1", r.Authorization));

            ehr.ExpireTokens();
            var second = await PostReportAsync(server, 709);
            await server.DeliveryReachesAsync("CarePlan/" + (await server.ProposalAsync(second, Vemcob)).Id, FhirTask.TaskStatus.Completed);

            // Deliveries running at once may each renew; what matters is that the refused token is not used again.
            Assert.True(ehr.TokensIssued >= 2);
            Assert.Contains(ehr.Requests, r => r.Status == 401 && r.Authorization == "Bearer token-1");
            Assert.All(ehr.Requests.Where(r => r.Status is 200 or 201 && r.Identifier.Contains(second.Split('/')[1], StringComparison.Ordinal)), r => Assert.NotEqual("Bearer token-1", r.Authorization));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Busy_or_down_EHRs_get_the_delivery_later_honouring_Retry_After()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr), ["--Publishing:RetriesPerAttempt=0"]);
        try
        {
            ehr.FailNextOf("CarePlan", FakeEhr.Status(429, retryAfter: "1"), FakeEhr.Status(503));
            var started = DateTimeOffset.UtcNow;
            var patient = await PostReportAsync(server, 710);
            var proposals = await MatchingTests.ProposalsOf(server.Client(), patient);

            var deliveries = new List<FhirTask>();
            foreach (var proposal in proposals)
            {
                deliveries.Add(await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed));
            }

            Assert.Contains(deliveries, d => DeliveryTasks.Attempts(d) > 1);
            var refused = ehr.Requests.First(r => r.Status == 429);
            var retried = ehr.Requests.First(r => r.Type == "CarePlan" && r.Identifier == refused.Identifier && r.Status is 200 or 201);
            Assert.True(retried.At - refused.At >= TimeSpan.FromSeconds(0.9), $"retried after {(retried.At - refused.At).TotalSeconds} s");
            Assert.Equal(3, ehr.Stored("CarePlan").Count);

            // The retries are the Task's history.
            var history = await server.Client().HistoryAsync("Task/" + deliveries.First(d => DeliveryTasks.Attempts(d) > 1).Id);
            Assert.Contains(history!.Entry, e => ((FhirTask)e.Resource!).BusinessStatus?.Coding[0].Code == "retrying");
            Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(20));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_hospitals_are_routed_to_their_own_EHRs_and_neither_sees_the_others_patients()
    {
        using var oslo = new FakeEhr();
        using var bergen = new FakeEhr();
        var server = await StartAsync(
            PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, oslo),
            PublishingServer.Route(1, "Haukeland", PublishingServer.BergenOrganizationNumber, bergen));
        try
        {
            var osloPatient = await PostReportAsync(server, 711, PublishingServer.OsloOrganizationNumber);
            var bergenPatient = await PostReportAsync(server, 712, PublishingServer.BergenOrganizationNumber);
            foreach (var proposal in (await MatchingTests.ProposalsOf(server.Client(), osloPatient)).Concat(await MatchingTests.ProposalsOf(server.Client(), bergenPatient)))
            {
                await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
            }

            Assert.All(oslo.Stored("CarePlan"), r => Assert.Equal(Testing.SyntheticIdentities.NationalId(711), ((CarePlan)r.Resource).Subject!.Identifier!.Value));
            Assert.All(bergen.Stored("CarePlan"), r => Assert.Equal(Testing.SyntheticIdentities.NationalId(712), ((CarePlan)r.Resource).Subject!.Identifier!.Value));
            Assert.Equal((3, 3), (oslo.Stored("CarePlan").Count, bergen.Stored("CarePlan").Count));
            Assert.DoesNotContain(oslo.Requests, r => r.Body.Contains(bergenPatient.Split('/')[1], StringComparison.Ordinal) || r.Body.Contains(Testing.SyntheticIdentities.NationalId(712), StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_hospital_without_a_route_is_a_visible_dead_letter()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr));
        try
        {
            var patient = await PostReportAsync(server, 713, "974116804");
            var proposal = await server.ProposalAsync(patient, Vemcob);

            var delivery = await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Failed);

            Assert.Equal("no-route", delivery.BusinessStatus!.Coding[0].Code);
            Assert.Contains("974116804", delivery.StatusReason!.Text, StringComparison.Ordinal);
            Assert.Empty(ehr.Requests);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_publishing_after_the_decision_the_EHR_sees_only_decided_plans()
    {
        using var ehr = new FakeEhr();
        var server = await StartAsync(PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr), ["--Publishing:PublishProposals=AfterDecision"]);
        try
        {
            var patient = await PostReportAsync(server, 714);
            var proposal = await server.ProposalAsync(patient, Vemcob);
            Assert.Null(await server.DeliveryOfAsync("CarePlan/" + proposal.Id));

            await server.AcceptAsync(await server.ReviewOfAsync(patient, Vemcob), VemcobCrc);
            await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);

            var published = Assert.Single(ehr.Stored("CarePlan"));
            Assert.Equal(CarePlan.CarePlanIntent.Plan, ((CarePlan)published.Resource).Intent);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deliveries_in_flight_when_the_server_stops_are_delivered_after_the_restart_once_each()
    {
        using var ehr = new FakeEhr();
        var data = Path.Combine(Path.GetTempPath(), "impress-restart-" + Guid.NewGuid().ToString("N"));
        string[] configuration = [.. PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr), "--Publishing:LeaseDuration=00:00:02", "--Publishing:AttemptTimeout=00:00:30"];
        try
        {
            ehr.FailNextOf("CarePlan", FakeEhr.Delay(TimeSpan.FromSeconds(4)), FakeEhr.Delay(TimeSpan.FromSeconds(4)), FakeEhr.Delay(TimeSpan.FromSeconds(4)));
            var first = new PublishingServer(configuration, data);
            await first.InitializeAsync();
            string patient;
            try
            {
                patient = await PostReportAsync(first, 715);
                await PublishingServer.EventuallyAsync(() => ehr.Requests.Any(r => r.Type == "CarePlan") ? "" : null, "a CarePlan is on its way");
            }
            finally
            {
                await first.DisposeAsync(); // stops while the EHR still holds the CarePlans' requests
            }

            var second = new PublishingServer(configuration, data);
            await second.InitializeAsync();
            try
            {
                var proposals = await MatchingTests.ProposalsOf(second.Client(), patient);
                foreach (var proposal in proposals)
                {
                    await second.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed, seconds: 30);
                }

                Assert.Equal(3, ehr.Stored("CarePlan").Count);
                Assert.All(ehr.Requests, r => Assert.Contains("|", r.Identifier, StringComparison.Ordinal)); // every send a conditional update
            }
            finally
            {
                await second.DisposeAsync();
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task AllProposalsDeliveredAsync(PublishingServer server, string patient)
    {
        foreach (var proposal in await MatchingTests.ProposalsOf(server.Client(), patient))
        {
            await server.DeliveryReachesAsync("CarePlan/" + proposal.Id, FhirTask.TaskStatus.Completed);
        }
    }

    private static string SyntheticIdentitiesOf(int n) => Testing.SyntheticIdentities.NationalId(n);
}
