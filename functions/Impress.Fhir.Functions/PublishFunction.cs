using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The publish stage: carries out one delivery of the outbox to a hospital's EHR.</summary>
public sealed class PublishFunction(StageTrigger trigger)
{
    [Function("publish")]
    public Task RunAsync([QueueTrigger(StageTrigger.PublishQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Publish, message, cancellationToken);
}
