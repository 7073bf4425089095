using System.Text.Json;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>Where a subscription stands: its events so far, how many were delivered, its failures and who is delivering.</summary>
/// <param name="Events">Events raised since the subscription started (the number of the last one); kept in its own record.</param>
/// <param name="Delivered">The number of the last event delivered: every event up to it has arrived.</param>
/// <param name="Failures">Failed deliveries in a row.</param>
/// <param name="LeaseUntil">A worker delivering until then (UTC ticks), or null.</param>
/// <param name="LastSent">When a notification (or the handshake) last reached the endpoint (UTC ticks).</param>
/// <param name="NextAttempt">When to try again after a failure (UTC ticks), or null.</param>
/// <param name="Error">Why the last delivery failed, without patient data.</param>
public sealed record SubscriptionState(long Events, long Delivered, int Failures, long? LeaseUntil, long? LastSent, long? NextAttempt, string? Error)
{
    public static SubscriptionState New { get; } = new(0, 0, 0, null, null, null, null);

    public bool HasPending => Delivered < Events;
}

/// <summary>
/// The durable record of every subscription's events, in the store beside the resources (kinds of record the FHIR
/// surface does not serve): a counter per subscription, written only when an event is recorded; the delivery state
/// per subscription, written only by whoever delivers; and each event by its number. So numbers have no gaps, an
/// event raised twice (a message handled twice) is recorded once, recording and delivering do not stand in each
/// other's way, and $events can answer for any event.
/// </summary>
public sealed class SubscriptionLedger(IFhirStore store, TimeProvider time)
{
    public const string CounterType = "impress.SubscriptionCounter";
    public const string StateType = "impress.SubscriptionState";
    public const string EventType = "impress.SubscriptionEvent";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The subscription's state (with the count of its events), and the version of its delivery record.</summary>
    public async Task<(SubscriptionState State, long Version)> ReadStateAsync(string subscription, CancellationToken cancellationToken)
    {
        var (events, _) = await ReadCounterAsync(subscription, cancellationToken);
        var (state, version) = await store.ReadAsync(StateType, subscription, cancellationToken) is { IsDeleted: false } stored
            ? (JsonSerializer.Deserialize<SubscriptionState>(stored.Json.Span, Json)!, stored.VersionId)
            : (SubscriptionState.New, 0);
        return (state with { Events = events }, version);
    }

    /// <summary>
    /// Records an event of <paramref name="subscription"/> about <paramref name="focus"/> ("CarePlan/{id}/_history/{v}")
    /// with the next number, and queues the subscription's notification in the same commit. False when this focus was
    /// recorded for the subscription before.
    /// </summary>
    public async Task<bool> AppendAsync(string subscription, string focus, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (events, version) = await ReadCounterAsync(subscription, cancellationToken);
            var number = events + 1;
            var now = time.GetUtcNow();
            var counter = new ResourceWrite(new ResourceVersion(CounterType, subscription, version + 1, now, false, JsonSerializer.SerializeToUtf8Bytes(new Counter(number), Json)), version, []);
            var recorded = new ResourceWrite(new ResourceVersion(EventType, EventId(subscription, number), 1, now, false, JsonSerializer.SerializeToUtf8Bytes(new SubscriptionEvent(number, timestamp, focus), Json)), 0, []);
            var commit = new StoreCommit(
                [counter, recorded],
                [new UniqueClaim($"{EventType}|{subscription}|{focus}", EventType, EventId(subscription, number))],
                [new StageMessage(StageQueues.Notify, new StageWork("Subscription", subscription).Format())])
            {
                FlushToDisk = false,
            };
            try
            {
                await store.CommitAsync(commit, cancellationToken);
                return true;
            }
            catch (UniqueClaimConflictException)
            {
                return false;
            }
            catch (VersionConflictException)
            {
                // Another event of the same subscription took this number: take the next.
            }
        }
    }

    /// <summary>
    /// Changes the delivery state as <paramref name="change"/> says, reading it again when another deliverer got
    /// there first; <paramref name="change"/> answers null to leave it as it is. Returns the state stored (with the
    /// count of events as read), or null when unchanged.
    /// </summary>
    public async Task<SubscriptionState?> UpdateAsync(string subscription, Func<SubscriptionState, SubscriptionState?> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (state, version) = await ReadStateAsync(subscription, cancellationToken);
            if (change(state) is not { } changed)
            {
                return null;
            }

            var write = new ResourceWrite(new ResourceVersion(StateType, subscription, version + 1, time.GetUtcNow(), false, JsonSerializer.SerializeToUtf8Bytes(changed with { Events = 0 }, Json)), version, []);
            try
            {
                await store.CommitAsync(StoreCommit.Of(write) with { FlushToDisk = false }, cancellationToken);
                return changed;
            }
            catch (VersionConflictException)
            {
                // Another worker moved on meanwhile: decide again on what is there now.
            }
        }
    }

    /// <summary>The events numbered <paramref name="from"/> to <paramref name="to"/>, in order (those that exist).</summary>
    public async Task<List<SubscriptionEvent>> EventsAsync(string subscription, long from, long to, CancellationToken cancellationToken)
    {
        var events = new List<SubscriptionEvent>();
        for (var number = Math.Max(1, from); number <= to; number++)
        {
            if (await store.ReadAsync(EventType, EventId(subscription, number), cancellationToken) is { IsDeleted: false } version)
            {
                events.Add(JsonSerializer.Deserialize<SubscriptionEvent>(version.Json.Span, Json)!);
            }
        }

        return events;
    }

    /// <summary>The resource version an event reports, or null when it is gone.</summary>
    public async Task<Hl7.Fhir.Model.Resource?> FocusOfAsync(SubscriptionEvent recorded, CancellationToken cancellationToken)
    {
        var parts = recorded.Resource.Split('/');
        return await store.ReadVersionAsync(parts[0], parts[1], recorded.Version, cancellationToken) is { IsDeleted: false } version
            ? Fhir.FhirJsonReader.ReadStored(version.Json.Span)
            : null;
    }

    private async Task<(long Events, long Version)> ReadCounterAsync(string subscription, CancellationToken cancellationToken) =>
        await store.ReadAsync(CounterType, subscription, cancellationToken) is { IsDeleted: false } stored
            ? (JsonSerializer.Deserialize<Counter>(stored.Json.Span, Json)!.Events, stored.VersionId)
            : (0, 0);

    private static string EventId(string subscription, long number) => subscription + "." + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Counter(long Events);
}
