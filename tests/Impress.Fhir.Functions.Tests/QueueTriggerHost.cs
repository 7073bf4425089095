using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Functions.Tests;

/// <summary>
/// Stands in for the Functions host's queue listener, which a test cannot run here: receives from the Azurite queues
/// the triggers name, invokes the function class with the message as the host binds it, deletes the message when the
/// invocation succeeds, and makes it visible again when the invocation throws (as the host does, here without
/// host.json's visibility delay). Poison handling is not here: the functions do it themselves.
/// </summary>
public sealed class QueueTriggerHost(string connectionString, IServiceProvider services)
{
    private static readonly QueueClientOptions Base64 = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Invocations that threw, by queue.</summary>
    public List<(string Queue, Exception Error)> Failures { get; } = [];

    public QueueClient Queue(string queueName) => new(connectionString, queueName, Base64);

    /// <summary>Runs the functions until every stage queue is empty (delayed messages included); returns the invocations.</summary>
    public async Task<int> DrainAsync(double seconds = 60)
    {
        var invocations = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var ran = 0;
            foreach (var (queueName, invoke) in Triggers())
            {
                ran += await RunOnceAsync(queueName, invoke);
            }

            invocations += ran;
            if (ran == 0 && await PendingAsync() == 0)
            {
                return invocations;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The stage queues still hold {await PendingAsync()} messages after {seconds} s.");
            }

            if (ran == 0)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Receives what is visible in one queue and invokes <paramref name="invoke"/> with each message, as the host does; returns the invocations.</summary>
    public async Task<int> RunOnceAsync(string queueName, Func<QueueMessage, Task> invoke)
    {
        var queue = Queue(queueName);
        var ran = 0;
        foreach (var message in (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(1))).Value)
        {
            ran++;
            try
            {
                await invoke(message);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            catch (Exception e)
            {
                Failures.Add((queueName, e));
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }

        return ran;
    }

    /// <summary>Messages in the stage queues, visible or not.</summary>
    public async Task<int> PendingAsync()
    {
        var pending = 0;
        foreach (var (queueName, _) in Triggers())
        {
            pending += (await Queue(queueName).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }

        return pending;
    }

    /// <summary>The bodies of the messages in a queue ("match-poison", ...), without receiving them.</summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string stageQueue) =>
        [.. (await Queue(StageTrigger.QueuePrefix + "-" + stageQueue).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString())];

    private IEnumerable<(string Queue, Func<QueueMessage, Task> Invoke)> Triggers()
    {
        yield return (StageTrigger.MatchQueue, m => ActivatorUtilities.CreateInstance<MatchFunction>(services).RunAsync(m, CancellationToken.None));
        yield return (StageTrigger.CatalogQueue, m => ActivatorUtilities.CreateInstance<CatalogFunction>(services).RunAsync(m, CancellationToken.None));
        yield return (StageTrigger.PublishQueue, m => ActivatorUtilities.CreateInstance<PublishFunction>(services).RunAsync(m, CancellationToken.None));
        yield return (StageTrigger.EventsQueue, m => ActivatorUtilities.CreateInstance<EventsFunction>(services).RunAsync(m, CancellationToken.None));
        yield return (StageTrigger.NotifyQueue, m => ActivatorUtilities.CreateInstance<NotifyFunction>(services).RunAsync(m, CancellationToken.None));
        yield return (StageTrigger.ExportQueue, m => ActivatorUtilities.CreateInstance<ExportFunction>(services).RunAsync(m, CancellationToken.None));
    }
}
