using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// The events stage: one stored version of a CarePlan or ResearchStudy becomes an event of every subscription whose
/// topic and filters it matches, each recorded with its number and its notification queued in one commit. A version
/// handled twice is recorded once.
/// </summary>
public sealed class EventStage(IFhirStore store, SubscriptionDirectory directory, TopicEvents topics, SubscriptionLedger ledger) : IStageHandler
{
    public string Queue => StageQueues.Events;

    public bool Accepts(string resourceType) => resourceType is "CarePlan" or "ResearchStudy";

    public async System.Threading.Tasks.Task HandleAsync(StageWork work, CancellationToken cancellationToken)
    {
        var receiving = await directory.ReceivingAsync(cancellationToken);
        if (work.Version is not { } version || receiving.Count == 0
            || await store.ReadVersionAsync(work.Type, work.Id, version, cancellationToken) is not { IsDeleted: false } current)
        {
            return;
        }

        var resource = FhirJsonReader.ReadStored(current.Json.Span);
        var previous = version > 1 && await store.ReadVersionAsync(work.Type, work.Id, version - 1, cancellationToken) is { IsDeleted: false } before
            ? FhirJsonReader.ReadStored(before.Json.Span)
            : null;
        if (TopicEvents.TopicOf(resource, previous) is not { } topic)
        {
            return;
        }

        var subscriptions = receiving.Where(s => s.Topic == topic).ToList();
        if (subscriptions.Count == 0)
        {
            return;
        }

        var values = await topics.FilterValuesAsync(resource, cancellationToken);
        foreach (var subscription in subscriptions.Where(s => TopicEvents.Passes(s, values)))
        {
            await ledger.AppendAsync(subscription.Id, $"{work.Reference}/_history/{version}", current.LastUpdated, cancellationToken);
        }
    }
}
