using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Subscriptions;
using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// <c>Subscription/{id}/$status</c> (where the subscription stands: status, events so far, the last error) and
/// <c>Subscription/{id}/$events</c> (its events again, by number, so that a subscriber can fill a gap).
/// </summary>
public sealed class SubscriptionOperations(SubscriptionDirectory directory, SubscriptionLedger ledger, SubscriptionOptions options, TimeProvider time)
{
    public async Task<FhirResult> StatusAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } found)
        {
            return NotFound(id);
        }

        var (resource, subscription) = found;
        var (state, _) = await ledger.ReadStateAsync(id, cancellationToken);
        var status = NotificationBundles.Create(NotificationTypes.QueryStatus, subscription, options.PublicBaseUrl, resource.Status!.Value, state.Events, [], PayloadContent.Empty, time.GetUtcNow(), resource.Error ?? state.Error);
        var bundle = new Bundle { Id = Guid.NewGuid().ToString(), Type = Bundle.BundleType.Searchset, Total = 1, Timestamp = time.GetUtcNow() };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = NotificationBundles.StatusOf(status), Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        return new FhirResult { Status = HttpStatusCode.OK, Resource = bundle };
    }

    public async Task<FhirResult> EventsAsync(string id, IQueryCollection query, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } found)
        {
            return NotFound(id);
        }

        var (resource, subscription) = found;
        var (state, _) = await ledger.ReadStateAsync(id, cancellationToken);
        if (!TryNumber(query, "eventsSinceNumber", 1, out var since) || !TryNumber(query, "eventsUntilNumber", state.Events, out var until))
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "eventsSinceNumber and eventsUntilNumber are event numbers (whole numbers from 1).");
        }

        var content = subscription.Content;
        switch (query["content"].FirstOrDefault())
        {
            case null:
                break;
            case "empty":
                content = PayloadContent.Empty;
                break;
            case "id-only":
                content = PayloadContent.IdOnly;
                break;
            case "full-resource":
                content = PayloadContent.FullResource;
                break;
            default:
                return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "content is empty, id-only or full-resource.", "content");
        }

        until = Math.Min(until, Math.Min(state.Events, since + options.MaxEventsPerQuery - 1));
        var events = await ledger.EventsAsync(id, since, until, cancellationToken);
        var payload = new List<(SubscriptionEvent, Resource?)>();
        foreach (var recorded in events)
        {
            payload.Add((recorded, content == PayloadContent.FullResource ? await ledger.FocusOfAsync(recorded, cancellationToken) : null));
        }

        var bundle = NotificationBundles.Create(NotificationTypes.QueryEvent, subscription, options.PublicBaseUrl, resource.Status!.Value, state.Events, payload, content, time.GetUtcNow());
        return new FhirResult { Status = HttpStatusCode.OK, Resource = bundle };
    }

    /// <summary>The topics, as Basic resources (GET Basic).</summary>
    public FhirResult Topics(string baseUrl)
    {
        var bundle = new Bundle { Id = Guid.NewGuid().ToString(), Type = Bundle.BundleType.Searchset, Total = SubscriptionTopics.All.Count, Timestamp = time.GetUtcNow() };
        foreach (var topic in SubscriptionTopics.All)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/Basic/{topic.Code}", Resource = TopicResources.Of(topic), Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match } });
        }

        return new FhirResult { Status = HttpStatusCode.OK, Resource = bundle };
    }

    /// <summary>One topic, as a Basic resource (GET Basic/careplan-update).</summary>
    public FhirResult Topic(string code) =>
        SubscriptionTopics.All.FirstOrDefault(t => t.Code == code) is { } topic
            ? new FhirResult { Status = HttpStatusCode.OK, Resource = TopicResources.Of(topic) }
            : FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no topic Basic/{code}; the topics are {string.Join(", ", SubscriptionTopics.All.Select(t => t.Code))}.");

    private async Task<(Subscription Resource, TopicSubscription Topic)?> FindAsync(string id, CancellationToken cancellationToken) =>
        await directory.ReadAsync(id, cancellationToken) is { Topic: { } topic } found ? (found.Resource, topic) : null;

    private static FhirResult NotFound(string id) =>
        FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no topic-based Subscription/{id}.");

    private static bool TryNumber(IQueryCollection query, string name, long fallback, out long value)
    {
        value = fallback;
        return query[name].FirstOrDefault() is not { } text || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1);
    }
}
