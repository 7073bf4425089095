using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// The stored subscriptions the server serves, read again after <see cref="SubscriptionOptions.DirectoryRefreshInterval"/>
/// or when this process changed one; and the server's own changes to a subscription's status.
/// </summary>
public sealed class SubscriptionDirectory(IFhirStore store, StoredResources stored, SubscriptionOptions options, TimeProvider time)
{
    private readonly object _gate = new();
    private Task<IReadOnlyList<TopicSubscription>>? _current;
    private DateTimeOffset _readAt;

    /// <summary>The subscriptions that get events: active ones, and those in error (which keep their events).</summary>
    public async Task<IReadOnlyList<TopicSubscription>> ReceivingAsync(CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<TopicSubscription>> current;
        lock (_gate)
        {
            if (_current is null || _current.IsFaulted || _current.IsCanceled || time.GetUtcNow() - _readAt > options.DirectoryRefreshInterval)
            {
                _current = ReadReceivingAsync(cancellationToken);
                _readAt = time.GetUtcNow();
            }

            current = _current;
        }

        return await current;
    }

    /// <summary>Forgets what was read: the next event reads the subscriptions again.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    /// <summary>One subscription as stored, and as the server reads it (null when it cannot be served).</summary>
    public async Task<(Subscription Resource, long Version, TopicSubscription? Topic)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync("Subscription", id, cancellationToken) is not { IsDeleted: false } version)
        {
            return null;
        }

        var subscription = (Subscription)FhirJsonReader.ReadStored(version.Json.Span);
        return (subscription, version.VersionId, TopicSubscriptions.Read(subscription, []));
    }

    /// <summary>Sets a subscription's status (active after the handshake or on recovery, error with the reason), unless a client changed it meanwhile.</summary>
    public async System.Threading.Tasks.Task SetStatusAsync(string id, Subscription.SubscriptionStatus from, Subscription.SubscriptionStatus to, string? error, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await ReadAsync(id, cancellationToken) is not { } current || current.Resource.Status != from)
            {
                return;
            }

            var subscription = current.Resource;
            subscription.Status = to;
            subscription.Error = error;
            try
            {
                await store.CommitAsync(StoreCommit.Of(stored.Write(subscription, id, current.Version + 1, current.Version, time.GetUtcNow())), cancellationToken);
                Invalidate();
                return;
            }
            catch (VersionConflictException)
            {
                // The client updated it meanwhile: look again.
            }
        }
    }

    private async Task<IReadOnlyList<TopicSubscription>> ReadReceivingAsync(CancellationToken cancellationToken)
    {
        var criteria = new[] { new SearchCriterion("status", [new TokenMatch(null, "active"), new TokenMatch(null, "error")]) };
        return [.. (await StoredSearch.AllAsync(store, "Subscription", criteria, cancellationToken))
            .Select(found => TopicSubscriptions.Read((Subscription)found.Resource, []))
            .OfType<TopicSubscription>()];
    }
}
