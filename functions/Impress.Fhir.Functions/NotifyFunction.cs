using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The notify stage: a subscription's handshake, or its events not yet delivered, to its rest-hook endpoint.</summary>
public sealed class NotifyFunction(StageTrigger trigger)
{
    [Function("notify")]
    public Task RunAsync([QueueTrigger(StageTrigger.NotifyQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Notify, message, cancellationToken);
}
