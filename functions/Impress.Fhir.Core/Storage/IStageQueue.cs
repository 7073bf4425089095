namespace Impress.Fhir.Storage;

/// <summary>
/// The durable queues between the pipeline's stages, kept by the store: the messages of a <see cref="StoreCommit"/>
/// arrive here when, and only when, the commit is committed. Delivery is at least once (a receiver that dies leaves
/// its message to reappear when the lease ends), so every stage is idempotent.
/// </summary>
/// <remarks>The embedded store keeps its queues in its own database; the Azure store uses Azure Storage queues.</remarks>
public interface IStageQueue
{
    /// <summary>Queues messages outside a commit (a stage fanning out its work), all of them or, on failure, perhaps some.</summary>
    Task SendAsync(IReadOnlyList<StageMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxMessages"/> visible messages, each hidden from other receivers for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Removes a message that was handled.</summary>
    Task CompleteAsync(QueuedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Gives a message back, to be received again after <paramref name="delay"/>.</summary>
    Task RetryAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Moves a message that cannot be handled to its queue's poison queue (<see cref="StageQueues.PoisonOf"/>).</summary>
    Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken = default);

    /// <summary>How many messages the queue holds, visible or not (a poison queue included).</summary>
    Task<int> CountAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxMessages"/> of the queue's messages, without receiving them (to look at a poison queue).</summary>
    Task<IReadOnlyList<StageMessage>> PeekAsync(string queue, int maxMessages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when a message may have arrived in <paramref name="queue"/>, or after <paramref name="timeout"/>: a
    /// store that knows when messages arrive returns at once, others after polling.
    /// </summary>
    Task WaitAsync(string queue, TimeSpan timeout, CancellationToken cancellationToken = default);
}
