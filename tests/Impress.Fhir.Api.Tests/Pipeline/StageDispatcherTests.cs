using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Impress.Fhir.Api.Tests.Pipeline;

/// <summary>What becomes of a message, the same in both hosts: handled, tried again later, or poison.</summary>
public sealed class StageDispatcherTests
{
    private readonly PipelineOptions _options = new() { MaxDequeueCount = 4, RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_message_its_stage_handles_is_completed_with_the_work_it_names()
    {
        var stage = new RecordingStage();

        var outcome = await Dispatcher(stage).HandleAsync(StageQueues.Match, "Patient/p-1;catalog=638700000000000000", 1, CancellationToken.None);

        Assert.Equal(StageOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(new StageWork("Patient", "p-1", 638700000000000000), Assert.Single(stage.Handled));
    }

    [Theory]
    [InlineData(StageQueues.Match, "Patient/../../etc/passwd")]
    [InlineData(StageQueues.Match, "Task/t1")]
    [InlineData(StageQueues.Match, "Patient/")]
    [InlineData(StageQueues.Match, "Patient/p1;catalog=abc")]
    [InlineData(StageQueues.Match, "{\"reference\":\"Patient/p1\"}")]
    [InlineData("unknown", "Patient/p1")]
    public async Task A_message_no_stage_can_read_is_poison_at_once(string queue, string body)
    {
        var stage = new RecordingStage();

        var outcome = await Dispatcher(stage).HandleAsync(queue, body, 1, CancellationToken.None);

        Assert.Equal(StageOutcomeKind.Poison, outcome.Kind);
        Assert.Empty(stage.Handled);
    }

    [Fact]
    public async Task A_failing_stage_is_tried_again_with_a_growing_capped_delay_then_poison()
    {
        var stage = new RecordingStage { Fails = true };
        var dispatcher = Dispatcher(stage);

        var outcomes = new List<StageOutcome>();
        for (var dequeue = 1; dequeue <= _options.MaxDequeueCount; dequeue++)
        {
            outcomes.Add(await dispatcher.HandleAsync(StageQueues.Match, "Patient/p1", dequeue, CancellationToken.None));
        }

        Assert.Equal(
            [new(StageOutcomeKind.Retry, TimeSpan.FromSeconds(2)), new(StageOutcomeKind.Retry, TimeSpan.FromSeconds(4)), new(StageOutcomeKind.Retry, TimeSpan.FromSeconds(5)), StageOutcome.Poison],
            outcomes);
    }

    [Fact]
    public async Task Stopping_the_host_is_not_a_failure_of_the_message()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        var stage = new RecordingStage { Fails = true };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dispatcher(stage).HandleAsync(StageQueues.Match, "Patient/p1", 9, stopping.Token));
    }

    [Fact]
    public void Work_is_written_as_it_is_read()
    {
        Assert.Equal("Patient/p1", new StageWork("Patient", "p1").Format());
        Assert.True(StageWork.TryParse(new StageWork("Patient", "p1", 42).Format(), "Patient", out var work));
        Assert.Equal(new StageWork("Patient", "p1", 42), work);
    }

    private StageDispatcher Dispatcher(RecordingStage stage) => new([stage], _options, NullLogger<StageDispatcher>.Instance);

    private sealed class RecordingStage : IStageHandler
    {
        public List<StageWork> Handled { get; } = [];

        public bool Fails { get; init; }

        public string Queue => StageQueues.Match;

        public bool Accepts(string resourceType) => resourceType == "Patient";

        public Task HandleAsync(StageWork work, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Fails)
            {
                throw new InvalidOperationException("The store is unreachable.");
            }

            Handled.Add(work);
            return Task.CompletedTask;
        }
    }
}
