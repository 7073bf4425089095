using Azure.Storage.Queues.Models;
using Impress.Fhir.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>The match stage: a patient whose report, diagnosis or observations changed (or every patient, after a catalog change) is matched again.</summary>
public sealed class MatchFunction(StageTrigger trigger)
{
    [Function("match")]
    public Task RunAsync([QueueTrigger(StageTrigger.MatchQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        trigger.RunAsync(StageQueues.Match, message, cancellationToken);
}
