using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The catalog stage: after an arm or cohort changed, queues a match of every patient with a report.</summary>
public sealed class CatalogFunction(StageTrigger trigger)
{
    [Function("catalog")]
    public Task RunAsync([QueueTrigger(StageTrigger.CatalogQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Catalog, message, cancellationToken);
}
