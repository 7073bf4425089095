namespace Impress.Fhir.Storage;

/// <summary>A unit of work for one stage of the pipeline, as it waits in that stage's queue.</summary>
/// <param name="Queue">The stage's queue (see <see cref="StageQueues"/>).</param>
/// <param name="Body">What the stage is to work on, as the stage reads it (small: a reference, not a resource).</param>
/// <param name="Delay">How long after it is queued the message becomes visible to receivers.</param>
public sealed record StageMessage(string Queue, string Body, TimeSpan Delay = default);

/// <summary>A message as a receiver holds it: hidden from other receivers until it is completed, retried or its lease ends.</summary>
/// <param name="Queue">The queue it was received from.</param>
/// <param name="MessageId">The queue's id of the message.</param>
/// <param name="Receipt">Proof of this receipt: completing, retrying or poisoning needs it, so a receiver whose lease ran out cannot.</param>
/// <param name="Body">The message's body.</param>
/// <param name="DequeueCount">How many times the message has been received, this time included.</param>
public sealed record QueuedMessage(string Queue, string MessageId, string Receipt, string Body, long DequeueCount);

/// <summary>The names of the pipeline's queues, the same on every store.</summary>
public static class StageQueues
{
    /// <summary>Patients to match again: their report, diagnosis or observations changed, or the catalog did.</summary>
    public const string Match = "match";

    /// <summary>Catalog changes (an arm or cohort study): fanned out into a match of every patient.</summary>
    public const string Catalog = "catalog";

    /// <summary>Delivery Tasks of the publishing outbox to carry out.</summary>
    public const string Publish = "publish";

    /// <summary>Resource versions (CarePlans, cohort studies) to turn into the events of the subscriptions they match.</summary>
    public const string Events = "events";

    /// <summary>Subscriptions to notify: the handshake, or the events not yet delivered.</summary>
    public const string Notify = "notify";

    /// <summary>Bulk Data export jobs, one slice of a job per message.</summary>
    public const string Export = "export";

    /// <summary>Every stage's queue.</summary>
    public static IReadOnlyList<string> All { get; } = [Match, Catalog, Publish, Events, Notify, Export];

    /// <summary>Where the messages of <paramref name="queue"/> go that no retry could handle: kept there, visible, until somebody looks.</summary>
    public static string PoisonOf(string queue) => queue + "-poison";
}
