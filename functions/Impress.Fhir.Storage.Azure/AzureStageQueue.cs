using Azure;
using Azure.Storage.Queues.Models;

namespace Impress.Fhir.Storage.Azure;

/// <summary>
/// The pipeline's queues as Azure Storage queues ("{prefix}-match", "{prefix}-match-poison", ...), the ones the
/// Functions app's queue triggers listen on. A message whose lease ran out reappears with its dequeue count raised.
/// </summary>
internal sealed class AzureStageQueue(StorageClients storage) : IStageQueue
{
    /// <summary>Azure Storage queues have no long poll: an idle receiver looks again this often.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The most messages one receive or peek may ask for.</summary>
    private const int MaxBatch = 32;

    /// <summary>Messages are sent one request each: this many at a time.</summary>
    private const int ConcurrentSends = 16;

    public Task SendAsync(IReadOnlyList<StageMessage> messages, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentSends, CancellationToken = cancellationToken }, async (message, cancel) =>
            await storage.Queue(message.Queue).SendMessageAsync(message.Body, message.Delay > TimeSpan.Zero ? message.Delay : null, TimeSpan.FromSeconds(-1), cancel));

    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var received = await storage.Queue(queue).ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, MaxBatch), lease, cancellationToken);
        return [.. received.Value.Select(m => new QueuedMessage(queue, m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount))];
    }

    public async Task CompleteAsync(QueuedMessage message, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.Queue(message.Queue).DeleteMessageAsync(message.MessageId, message.Receipt, cancellationToken);
        }
        catch (RequestFailedException e) when (IsStaleReceipt(e))
        {
            // The lease ran out and another receiver has it (or has finished it): theirs to complete.
        }
    }

    public async Task RetryAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.Queue(message.Queue).UpdateMessageAsync(message.MessageId, message.Receipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (IsStaleReceipt(e))
        {
            // Received again meanwhile: it will be retried by that receipt.
        }
    }

    public async Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken = default)
    {
        await SendAsync([new StageMessage(StageQueues.PoisonOf(message.Queue), message.Body)], cancellationToken);
        await CompleteAsync(message, cancellationToken);
    }

    public async Task<int> CountAsync(string queue, CancellationToken cancellationToken = default) =>
        (await storage.Queue(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    public async Task<IReadOnlyList<StageMessage>> PeekAsync(string queue, int maxMessages, CancellationToken cancellationToken = default)
    {
        PeekedMessage[] peeked = (await storage.Queue(queue).PeekMessagesAsync(Math.Clamp(maxMessages, 1, MaxBatch), cancellationToken)).Value;
        return [.. peeked.Select(m => new StageMessage(queue, m.Body.ToString()))];
    }

    /// <summary>The message is gone (404), or was received again since (400 PopReceiptMismatch).</summary>
    private static bool IsStaleReceipt(RequestFailedException e) =>
        e.Status == 404 || (e.Status == 400 && e.ErrorCode == "PopReceiptMismatch");

    public Task WaitAsync(string queue, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.Delay(timeout < PollInterval ? timeout : PollInterval, cancellationToken);
}
