using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// Carries out one delivery of the publishing outbox. A delivery already done, or taken by another worker, is left
/// alone; one that fails is rescheduled on its Task, where the outbox sweep (a timer) finds it when it falls due.
/// </summary>
public sealed class PublishStage(DeliveryProcessor deliveries) : IStageHandler
{
    public string Queue => StageQueues.Publish;

    public bool Accepts(string resourceType) => resourceType == "Task";

    public Task HandleAsync(StageWork work, CancellationToken cancellationToken) => deliveries.DeliverAsync(work.Id, cancellationToken);
}
