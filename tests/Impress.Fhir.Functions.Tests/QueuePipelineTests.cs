using Hl7.Fhir.Model;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Fhir;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Functions.Tests;

/// <summary>
/// The pipeline on Azure Functions: a report accepted by the HTTP function is matched and published by the
/// queue-triggered functions over Azurite's queues, to a CarePlan at the hospital's (WireMock) EHR; messages handled
/// twice, poison messages and a crash between two stages.
/// </summary>
public sealed class QueuePipelineTests(FunctionsFixture functions) : IClassFixture<FunctionsFixture>, IDisposable
{
    private readonly CancellationTokenSource _end = new();

    [Fact]
    public async Task A_report_posted_through_the_HTTP_function_travels_through_the_queues_to_CarePlans_at_the_EHR()
    {
        var bundle = ExampleReports.OfPatient(821);
        var posted = await functions.SendAsync("POST", "", FhirJson.Serialize(bundle));
        Assert.Equal(200, posted.Status);
        var patient = PatientOf(posted);

        // Accepted and answered: the match is queued, nothing is matched or published yet.
        Assert.Contains(patient, await functions.Queues.PeekAsync(StageQueues.Match));
        Assert.Empty(await ProposalsOfAsync(patient));
        Assert.DoesNotContain(functions.Ehr.Stored("CarePlan"), r => r.Body.Contains(NationalIdOf(bundle), StringComparison.Ordinal));

        await functions.Queues.DrainAsync();

        Assert.Empty(functions.Queues.Failures);
        var proposals = await ProposalsOfAsync(patient);
        Assert.Equal(3, proposals.Count);
        Assert.Equal(3, functions.Ehr.Stored("CarePlan").Count(r => r.Body.Contains(NationalIdOf(bundle), StringComparison.Ordinal)));
        foreach (var proposal in proposals)
        {
            Assert.Equal(FhirTask.TaskStatus.Completed, (await DeliveryOfAsync("CarePlan/" + proposal.Id)).Status);
        }
    }

    [Fact]
    public async Task Match_and_publish_messages_handled_twice_change_nothing_the_second_time()
    {
        var bundle = ExampleReports.OfPatient(822);
        var patient = PatientOf(await functions.SendAsync("POST", "", FhirJson.Serialize(bundle)));
        await functions.Queues.DrainAsync();
        var proposals = await ProposalsOfAsync(patient);
        var deliveries = new List<FhirTask>();
        foreach (var proposal in proposals)
        {
            deliveries.Add(await DeliveryOfAsync("CarePlan/" + proposal.Id));
        }

        var requests = functions.Ehr.Requests.Count;

        // At-least-once queues: the same messages again, as a host that died before deleting them would leave them.
        await functions.Store.Queue.SendAsync([
            new StageMessage(StageQueues.Match, patient),
            .. deliveries.Select(d => new StageMessage(StageQueues.Publish, "Task/" + d.Id))]);
        Assert.True(await functions.Queues.DrainAsync() >= 1 + deliveries.Count);

        Assert.Empty(functions.Queues.Failures);
        Assert.Equal(requests, functions.Ehr.Requests.Count);
        Assert.Equal(proposals.Select(p => (p.Id, p.Meta!.VersionId)), (await ProposalsOfAsync(patient)).Select(p => (p.Id, p.Meta!.VersionId)));
        foreach (var delivery in deliveries)
        {
            Assert.Equal(delivery.Meta!.VersionId, (await DeliveryOfAsync(delivery.Focus!.Reference!)).Meta!.VersionId);
        }
    }

    [Fact]
    public async Task A_message_no_stage_can_read_goes_to_the_poison_queue_and_stays_there()
    {
        await functions.Store.Queue.SendAsync([
            new StageMessage(StageQueues.Match, "Patient/../../etc/passwd"),
            new StageMessage(StageQueues.Publish, "CarePlan/not-a-task"),
            new StageMessage(StageQueues.Catalog, "{\"resourceType\":\"ResearchStudy\"}")]);

        await functions.Queues.DrainAsync();

        Assert.Empty(functions.Queues.Failures);
        Assert.Contains("Patient/../../etc/passwd", await functions.Queues.PeekAsync(StageQueues.PoisonOf(StageQueues.Match)));
        Assert.Contains("CarePlan/not-a-task", await functions.Queues.PeekAsync(StageQueues.PoisonOf(StageQueues.Publish)));
        Assert.Contains("{\"resourceType\":\"ResearchStudy\"}", await functions.Queues.PeekAsync(StageQueues.PoisonOf(StageQueues.Catalog)));
        Assert.Equal(0, await functions.Queues.PendingAsync());
    }

    [Fact]
    public async Task A_message_whose_stage_keeps_failing_is_tried_again_then_moved_to_the_poison_queue()
    {
        var failing = new FailingMatchStage();
        var options = functions.Services.GetRequiredService<PipelineOptions>();
        var trigger = new StageTrigger(new StageDispatcher([failing], options, NullLogger<StageDispatcher>.Instance), functions.Store.Queue);
        await functions.Store.Queue.SendAsync([new StageMessage(StageQueues.Match, "Patient/keeps-failing")]);
        functions.Queues.Failures.Clear();

        for (var attempt = 0; attempt < options.MaxDequeueCount; attempt++)
        {
            Assert.Equal(1, await functions.Queues.RunOnceAsync(StageTrigger.MatchQueue, m => trigger.RunAsync(StageQueues.Match, m, CancellationToken.None)));
        }

        Assert.Equal(options.MaxDequeueCount, failing.Calls);
        Assert.Equal(options.MaxDequeueCount - 1, functions.Queues.Failures.Count(f => f.Error is StageRetryException));
        Assert.Contains("Patient/keeps-failing", await functions.Queues.PeekAsync(StageQueues.PoisonOf(StageQueues.Match)));
        Assert.Equal(0, await functions.Queues.PendingAsync());
        functions.Queues.Failures.Clear();
    }

    [Fact]
    public async Task A_crash_between_the_commit_and_its_hand_over_to_the_match_stage_loses_nothing()
    {
        var bundle = ExampleReports.OfPatient(823);
        var armed = 1;
        // The report's commit, not the audit record of a request made meanwhile.
        functions.Store.OnCommitStep = (step, commit) =>
            step == "decided" && commit.Writes.Any(w => w.Version.Type == "Patient") && Interlocked.Exchange(ref armed, 0) == 1 ? System.Threading.Tasks.Task.Delay(Timeout.Infinite, _end.Token) : System.Threading.Tasks.Task.CompletedTask;

        // The process "dies" after the commit is decided and before its messages are sent: the request never answers.
        _ = functions.SendAsync("POST", "", FhirJson.Serialize(bundle));
        var patient = await EventuallyAsync(async () => (await SearchAsync<Patient>($"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{NationalIdOf(bundle)}")).SingleOrDefault(), "the report is committed");
        functions.Store.OnCommitStep = null;
        Assert.DoesNotContain("Patient/" + patient.Id, await functions.Queues.PeekAsync(StageQueues.Match));

        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(2)); // longer than the fixture's abandoned-commit age
        await functions.Sweep.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Contains("Patient/" + patient.Id, await functions.Queues.PeekAsync(StageQueues.Match));
        await functions.Queues.DrainAsync();

        Assert.Equal(3, (await ProposalsOfAsync("Patient/" + patient.Id)).Count);
        Assert.Equal(3, functions.Ehr.Stored("CarePlan").Count(r => r.Body.Contains(NationalIdOf(bundle), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_delivery_the_EHR_refused_for_a_while_is_carried_out_by_the_deliver_timer()
    {
        var bundle = ExampleReports.OfPatient(824);
        var patient = PatientOf(await functions.SendAsync("POST", "", FhirJson.Serialize(bundle)));
        functions.Ehr.FailNextOf("CarePlan", FakeEhr.Status(503));
        await functions.Queues.DrainAsync();
        var retried = new List<FhirTask>();
        foreach (var proposal in await ProposalsOfAsync(patient))
        {
            retried.AddRange(new[] { await DeliveryOfAsync("CarePlan/" + proposal.Id) }.Where(d => d.Status == FhirTask.TaskStatus.Requested));
        }

        Assert.Single(retried);
        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1)); // the fixture's redelivery delay is 200 ms
        await functions.Deliver.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        Assert.Equal(FhirTask.TaskStatus.Completed, (await DeliveryOfAsync(retried[0].Focus!.Reference!)).Status);
        Assert.Equal(3, functions.Ehr.Stored("CarePlan").Count(r => r.Body.Contains(NationalIdOf(bundle), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Closing_a_cohort_through_the_HTTP_function_re_matches_its_patients_through_the_catalog_queue()
    {
        var bundle = ExampleReports.OfPatient(825);
        var patient = PatientOf(await functions.SendAsync("POST", "", FhirJson.Serialize(bundle)));
        await functions.Queues.DrainAsync();
        var proposal = (await ProposalsOfAsync(patient)).Single(p => p.Identifier[0].Value!.EndsWith("|vemurafenib-cobimetinib", StringComparison.Ordinal));
        try
        {
            await SetCohortStatusAsync(ResearchStudy.ResearchStudyStatus.ClosedToAccrual);
            await functions.Queues.DrainAsync();

            var withdrawn = (await ProposalsOfAsync(patient)).Single(p => p.Id == proposal.Id);
            Assert.Equal(RequestStatus.Revoked, withdrawn.Status);
            Assert.Contains(functions.Ehr.Stored("CarePlan"), r => r.Identifier == withdrawn.Identifier[0].System + "|" + withdrawn.Identifier[0].Value && ((CarePlan)r.Resource).Status == RequestStatus.Revoked);
        }
        finally
        {
            await SetCohortStatusAsync(ResearchStudy.ResearchStudyStatus.Active);
            await functions.Queues.DrainAsync();
        }

        Assert.Equal(RequestStatus.Draft, (await ProposalsOfAsync(patient)).Single(p => p.Id == proposal.Id).Status);
    }

    [Fact]
    public async Task A_trust_subscribed_through_the_HTTP_function_is_notified_of_a_posted_reports_CarePlans_through_the_queues()
    {
        using var trust = new FakeSubscriber();
        var subscription = ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=helse-sor-ost&status=draft", "id-only");
        var created = await functions.SendAsync("POST", "Subscription", FhirJson.Serialize(subscription));
        Assert.Equal(201, created.Status);
        await functions.Queues.DrainAsync();
        Assert.Equal("handshake", Assert.Single(trust.Received).Type);

        var patient = PatientOf(await functions.SendAsync("POST", "", FhirJson.Serialize(ExampleReports.OfPatient(826))));
        await functions.Queues.DrainAsync();

        var proposals = await ProposalsOfAsync(patient);
        Assert.Equal(
            proposals.Select(p => "https://impress-func.azurewebsites.net/fhir/CarePlan/" + p.Id).Order(StringComparer.Ordinal),
            trust.Events.Select(n => n.NotificationEvents.Single().Focus!).Order(StringComparer.Ordinal));

        // The trust stops: the other tests' CarePlans are not for it.
        var stored = (Subscription)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes((await functions.SendAsync("GET", created.Headers.Location.ToString().Split("/fhir/")[1].Split("/_history")[0])).Body)).Resource;
        stored.Status = Subscription.SubscriptionStatus.Off;
        Assert.Equal(200, (await functions.SendAsync("PUT", "Subscription/" + stored.Id, FhirJson.Serialize(stored))).Status);
    }

    public void Dispose()
    {
        _end.Cancel();
        _end.Dispose();
    }

    private static string PatientOf(FunctionResponse posted)
    {
        var response = (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(posted.Body)).Resource;
        return response.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];
    }

    private static string NationalIdOf(Bundle bundle) => bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier[0].Value!;

    private async Task<List<T>> SearchAsync<T>(string query)
        where T : Resource
    {
        var found = await functions.SendAsync("GET", $"{typeof(T).Name}?{query}&_count=100");
        Assert.Equal(200, found.Status);
        return [.. ((Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(found.Body)).Resource).Entry.Select(e => e.Resource).OfType<T>()];
    }

    private async System.Threading.Tasks.Task SetCohortStatusAsync(ResearchStudy.ResearchStudyStatus status)
    {
        var read = await functions.SendAsync("GET", "ResearchStudy/cohort-vemcob-crc");
        var cohort = (ResearchStudy)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(read.Body)).Resource;
        cohort.Status = status;
        var updated = await functions.SendAsync("PUT", "ResearchStudy/cohort-vemcob-crc", FhirJson.Serialize(cohort));
        Assert.Equal(200, updated.Status);
    }

    private async Task<List<CarePlan>> ProposalsOfAsync(string patient) => await SearchAsync<CarePlan>($"subject={patient}");

    private async Task<FhirTask> DeliveryOfAsync(string focus) =>
        Assert.Single(await SearchAsync<FhirTask>($"identifier={DeliveryTasks.IdentifierSystem}|{focus}"));

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Still not so: {what}.");
            }

            await System.Threading.Tasks.Task.Delay(100);
        }
    }

    private sealed class FailingMatchStage : IStageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public string Queue => StageQueues.Match;

        public bool Accepts(string resourceType) => resourceType == "Patient";

        public System.Threading.Tasks.Task HandleAsync(StageWork work, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("The store is unreachable.");
        }
    }
}
