using Impress.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// The pipeline's stages as in-process workers over the store's durable queues (<c>impress serve</c>). Each stage
/// has one receiver that takes as many messages as it has free handlers (one receive for a batch, and one woken
/// receiver per stage when work arrives, not every handler), hands each to the <see cref="StageDispatcher"/> and
/// completes, retries or poisons it as the dispatcher says. On Azure Functions the queue triggers do the same with
/// the same dispatcher.
/// </summary>
public sealed partial class StageWorker(IStageQueue queue, StageDispatcher dispatcher, PipelineOptions options, ILogger<StageWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(dispatcher.Queues.Select(name => Task.Run(() => ReceiveAsync(name, ConcurrencyOf(name), stoppingToken), stoppingToken)));

    private int ConcurrencyOf(string name) => Math.Max(1, name switch
    {
        StageQueues.Match => options.MatchConcurrency,
        StageQueues.Publish => options.PublishConcurrency,
        StageQueues.Events => options.EventsConcurrency,
        StageQueues.Notify => options.NotifyConcurrency,
        _ => 1,
    });

    private async Task ReceiveAsync(string name, int concurrency, CancellationToken stoppingToken)
    {
        using var free = new SemaphoreSlim(concurrency, concurrency);
        var handlers = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await free.WaitAsync(stoppingToken);
                var slots = 1;
                while (slots < concurrency && free.Wait(0))
                {
                    slots++;
                }

                IReadOnlyList<QueuedMessage> received;
                try
                {
                    received = await queue.ReceiveAsync(name, slots, options.Lease, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    free.Release(slots);
                    LogQueueFailed(logger, name, e.GetType().FullName, e.StackTrace);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }

                if (slots > received.Count)
                {
                    free.Release(slots - received.Count);
                }

                if (received.Count == 0)
                {
                    await queue.WaitAsync(name, options.IdleWait, stoppingToken);
                    continue;
                }

                lock (handlers)
                {
                    handlers.RemoveWhere(h => h.IsCompleted);
                    foreach (var message in received)
                    {
                        handlers.Add(HandleAsync(message, free, stoppingToken));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the handlers give back what they have not finished
        }

        Task[] running;
        lock (handlers)
        {
            running = [.. handlers];
        }

        await Task.WhenAll(running);
    }

    private async Task HandleAsync(QueuedMessage message, SemaphoreSlim free, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var outcome = await dispatcher.HandleAsync(message.Queue, message.Body, message.DequeueCount, stoppingToken);
            switch (outcome.Kind)
            {
                case StageOutcomeKind.Completed:
                    await queue.CompleteAsync(message, CancellationToken.None);
                    break;
                case StageOutcomeKind.Retry:
                    await queue.RetryAsync(message, outcome.RetryDelay, CancellationToken.None);
                    break;
                default:
                    await queue.PoisonAsync(message, CancellationToken.None);
                    break;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping half way: given back at once for the next start (or another instance), not after its lease.
            await queue.RetryAsync(message, TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The queue itself failed: the message reappears when its lease ends.
            LogQueueFailed(logger, message.Queue, e.GetType().FullName, e.StackTrace);
        }
        finally
        {
            free.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Queue} queue failed: {ExceptionType} {StackTrace}")]
    private static partial void LogQueueFailed(ILogger logger, string queue, string? exceptionType, string? stackTrace);
}
