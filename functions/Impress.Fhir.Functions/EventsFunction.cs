using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The events stage: a CarePlan or cohort study version becomes an event of each subscription it matches.</summary>
public sealed class EventsFunction(StageTrigger trigger)
{
    [Function("events")]
    public Task RunAsync([QueueTrigger(StageTrigger.EventsQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Events, message, cancellationToken);
}
