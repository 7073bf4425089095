using Hl7.Fhir.Model;
using Impress.Fhir.Api.Tests.Publishing;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests;

/// <summary>
/// The pipeline in <c>impress serve</c>: accept answers before matching, the stages run as in-process workers over
/// the embedded store's durable queues, work queued by one process is done by the next, and a poison message stays
/// in its poison queue.
/// </summary>
public sealed class PipelineTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "impress-pipeline-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Work_queued_by_an_accept_only_server_is_matched_and_published_by_the_next_start()
    {
        using var ehr = new FakeEhr();
        string[] route = [.. PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, ehr)];
        var bundle = PublishingServer.ReportOf(731);
        string patient;
        var accepting = new PublishingServer([.. route, "--Pipeline:RunStages=false"], _data);
        await accepting.InitializeAsync();
        try
        {
            patient = PublishingServer.PatientOf((await accepting.Client().TransactionAsync(bundle))!);

            var queue = accepting.Services.GetRequiredService<IStageQueue>();
            Assert.Equal([patient], (await queue.PeekAsync(StageQueues.Match, 10)).Select(m => m.Body));
            Assert.Empty(await MatchingTests.ProposalsOf(accepting.Client(), patient));
        }
        finally
        {
            await accepting.DisposeAsync();
        }

        var working = new PublishingServer(route, _data);
        await working.InitializeAsync();
        try
        {
            await working.PipelineIdleAsync();

            var proposals = await MatchingTests.ProposalsOf(working.Client(), patient);
            Assert.Equal(3, proposals.Count);
            foreach (var proposal in proposals)
            {
                await working.DeliveryReachesAsync("CarePlan/" + proposal.Id, Hl7.Fhir.Model.Task.TaskStatus.Completed);
            }

            var nationalId = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier[0].Value!;
            Assert.Equal(3, ehr.Stored("CarePlan").Count(r => r.Body.Contains(nationalId, StringComparison.Ordinal)));
        }
        finally
        {
            await working.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_message_no_stage_can_read_stays_in_its_poison_queue_and_the_others_flow_on()
    {
        var server = new PublishingServer([], _data);
        await server.InitializeAsync();
        try
        {
            var queue = server.Services.GetRequiredService<IStageQueue>();
            await queue.SendAsync([new StageMessage(StageQueues.Match, "Patient/../../etc/passwd"), new StageMessage(StageQueues.Publish, "not a reference")]);
            var patient = PublishingServer.PatientOf((await server.Client().TransactionAsync(PublishingServer.ReportOf(732)))!);

            await server.PipelineIdleAsync();

            Assert.Equal(3, (await MatchingTests.ProposalsOf(server.Client(), patient)).Count);
            Assert.Equal(["Patient/../../etc/passwd"], (await queue.PeekAsync(StageQueues.PoisonOf(StageQueues.Match), 10)).Select(m => m.Body));
            Assert.Equal(["not a reference"], (await queue.PeekAsync(StageQueues.PoisonOf(StageQueues.Publish), 10)).Select(m => m.Body));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
