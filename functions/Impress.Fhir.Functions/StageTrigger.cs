using Azure.Storage.Queues.Models;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Functions;

/// <summary>
/// What a queue-triggered function does with its message, as the in-process workers of <c>impress serve</c> do:
/// the <see cref="StageDispatcher"/> decides. A message to be tried again fails the invocation, so the host makes it
/// visible again after host.json's <c>visibilityTimeout</c>; a poison message is moved to its poison queue here (the
/// host's own <c>maxDequeueCount</c> is never reached first), and the invocation succeeds so the host removes it.
/// </summary>
public sealed class StageTrigger(StageDispatcher dispatcher, IStageQueue queue)
{
    /// <summary>The account's queue names the triggers listen on: the store's with its default prefix ("impress").</summary>
    public const string QueuePrefix = "impress";

    public const string MatchQueue = QueuePrefix + "-" + StageQueues.Match;

    public const string CatalogQueue = QueuePrefix + "-" + StageQueues.Catalog;

    public const string PublishQueue = QueuePrefix + "-" + StageQueues.Publish;

    public const string EventsQueue = QueuePrefix + "-" + StageQueues.Events;

    public const string NotifyQueue = QueuePrefix + "-" + StageQueues.Notify;

    public const string ExportQueue = QueuePrefix + "-" + StageQueues.Export;

    public async Task RunAsync(string stage, QueueMessage message, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        var outcome = await dispatcher.HandleAsync(stage, body, message.DequeueCount, cancellationToken);
        switch (outcome.Kind)
        {
            case StageOutcomeKind.Retry:
                throw new StageRetryException(stage, message.DequeueCount);
            case StageOutcomeKind.Poison:
                await queue.SendAsync([new StageMessage(StageQueues.PoisonOf(stage), body)], cancellationToken);
                break;
        }
    }
}

/// <summary>The stage failed on a message and it is to be tried again (the reason is logged by the dispatcher).</summary>
public sealed class StageRetryException(string stage, long dequeueCount)
    : Exception($"The {stage} stage failed on try {dequeueCount}; the message will be tried again.");
