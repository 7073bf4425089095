using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// Sends the heartbeats of idle subscriptions, and queues the notification of any subscription with events not yet
/// delivered whose retry is due and whose worker is gone (a message lost with a crash, a restart). Runs every
/// <see cref="SubscriptionOptions.SweepInterval"/> in <c>impress serve</c>, and as the Functions app's timer.
/// </summary>
public sealed partial class SubscriptionSweeper(
    SubscriptionDirectory directory,
    SubscriptionLedger ledger,
    NotifyStage notify,
    IStageQueue queue,
    SubscriptionOptions options,
    TimeProvider time,
    ILogger<SubscriptionSweeper> logger) : BackgroundService
{
    /// <summary>One sweep; returns the heartbeats sent and the notifications queued.</summary>
    public async Task<(int Heartbeats, int Queued)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (heartbeats, queued) = (0, 0);
        var now = time.GetUtcNow();
        var due = new List<StageMessage>();
        foreach (var subscription in await directory.ReceivingAsync(cancellationToken))
        {
            var (state, _) = await ledger.ReadStateAsync(subscription.Id, cancellationToken);
            if (state.HasPending)
            {
                if (state.LeaseUntil is not { } until || until < now.UtcTicks)
                {
                    if (state.NextAttempt is not { } next || next <= now.UtcTicks)
                    {
                        due.Add(new StageMessage(StageQueues.Notify, new StageWork("Subscription", subscription.Id).Format()));
                    }
                }
            }
            else if (subscription.HeartbeatPeriod is { } period && state.Failures == 0
                && (state.LastSent is not { } sent || new DateTimeOffset(sent, TimeSpan.Zero) + period <= now)
                && await notify.HeartbeatAsync(subscription, state, cancellationToken))
            {
                heartbeats++;
            }
        }

        if (due.Count > 0)
        {
            await queue.SendAsync(due, cancellationToken);
            queued = due.Count;
        }

        return (heartbeats, queued);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e.GetType().FullName, e.StackTrace);
                }

                await Task.Delay(options.SweepInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The subscription sweep failed: {ExceptionType} {StackTrace}")]
    private static partial void LogSweepFailed(ILogger logger, string? exceptionType, string? stackTrace);
}
