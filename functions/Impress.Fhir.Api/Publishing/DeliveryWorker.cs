using Hl7.Fhir.Model;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Profiles;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Api.Publishing;

/// <summary>
/// Sweeps the outbox: finds the delivery Tasks that are due (due for a retry, taken by a worker that died and whose
/// lease ran out, or whose publish message went to the poison queue) and delivers them, several at once. The publish
/// stage delivers a new delivery at once; this sweep runs when the next retry falls due or
/// <see cref="PublishingOptions.PollInterval"/> passes (<c>impress serve</c>), or on the Functions app's timer. The
/// outbox is in the store, so a restart resumes where the last process stopped.
/// </summary>
public sealed partial class DeliveryWorker(IFhirStore store, DeliveryProcessor processor, PublishingOptions options, TimeProvider time, ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>Delivers everything due now; returns how many deliveries ran and when the next one falls due.</summary>
    public async Task<(int Delivered, DateTimeOffset? NextDue)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = await OpenDeliveriesAsync(cancellationToken);
        var due = open.Where(t => DeliveryTasks.IsDue(t, now, options.LeaseDuration) && !IsThePublishStages(t, now)).Select(t => t.Id!).ToHashSet(StringComparer.Ordinal);
        var ran = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrentDeliveries), CancellationToken = cancellationToken }, async (id, token) =>
        {
            try
            {
                if (await processor.DeliverAsync(id, token))
                {
                    Interlocked.Increment(ref ran);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeliveryFailed(logger, id, e.GetType().FullName, e.StackTrace);
            }
        });

        var later = open.Where(t => !due.Contains(t.Id!)).Select(t => t.Status == FhirTask.TaskStatus.InProgress || IsThePublishStages(t, now)
            ? (DeliveryTasks.ClaimedAt(t) ?? DeliveryTasks.DueAt(t)) + options.LeaseDuration
            : DeliveryTasks.DueAt(t)).ToList();
        return (ran, later.Count == 0 ? null : later.Min());
    }

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WorkAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; the outbox stays in the store for the next start
        }
    }

    private async System.Threading.Tasks.Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.PollInterval;
            try
            {
                var (ran, next) = await RunOnceAsync(stoppingToken);
                if (ran > 0)
                {
                    continue; // results may have made more due (or new work arrived meanwhile)
                }

                if (next is { } due && due - time.GetUtcNow() < wait)
                {
                    wait = due - time.GetUtcNow();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogOutboxFailed(logger, e.GetType().FullName, e.StackTrace);
            }

            if (wait > TimeSpan.Zero)
            {
                await System.Threading.Tasks.Task.Delay(wait, time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// A delivery opened a moment ago and not tried yet: its publish message is carrying it out. Left to the sweep only
    /// once a lease's time has passed without it being taken (its message went to the poison queue, or was lost).
    /// </summary>
    private bool IsThePublishStages(FhirTask task, DateTimeOffset now) =>
        task.Status == FhirTask.TaskStatus.Requested && DeliveryTasks.Attempts(task) == 0 && DeliveryTasks.DueAt(task) + options.LeaseDuration > now;

    private async Task<List<FhirTask>> OpenDeliveriesAsync(CancellationToken cancellationToken)
    {
        var criteria = new[]
        {
            new SearchCriterion("code", [new TokenMatch(ImpressProfiles.WorkflowCodeSystem, DeliveryTasks.DeliveryCode)]),
            new SearchCriterion("status", [new TokenMatch(null, "requested"), new TokenMatch(null, "in-progress")]),
        };
        return (await StoredSearch.AllAsync(store, "Task", criteria, cancellationToken)).Select(found => (FhirTask)found.Resource).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery Task/{TaskId} failed unexpectedly: {ExceptionType} {StackTrace}")]
    private static partial void LogDeliveryFailed(ILogger logger, string taskId, string? exceptionType, string? stackTrace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox could not be read: {ExceptionType} {StackTrace}")]
    private static partial void LogOutboxFailed(ILogger logger, string? exceptionType, string? stackTrace);
}
