using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The export stage: one step (the start, or one slice) of a Bulk Data export job per message.</summary>
public sealed class ExportFunction(StageTrigger trigger)
{
    [Function("export")]
    public Task RunAsync([QueueTrigger(StageTrigger.ExportQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Export, message, cancellationToken);
}
