using Hl7.Fhir.Model;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;
using Impress.Fhir.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// The notify stage, for one subscription: the handshake of a requested one (active when the endpoint takes it,
/// error with the reason when not), or the delivery of its events not yet delivered, in order, by one worker at a
/// time (a lease on its state). A failure is tried again with backoff; after
/// <see cref="SubscriptionOptions.MaxFailures"/> in a row the subscription is in error, keeps its events, and is
/// active again once the endpoint takes them.
/// </summary>
public sealed partial class NotifyStage(
    IStageQueue queue,
    SubscriptionDirectory directory,
    SubscriptionLedger ledger,
    SubscriptionNotifier notifier,
    Audit.AuditTrail audit,
    SubscriptionOptions options,
    TimeProvider time,
    ILogger<NotifyStage> logger) : IStageHandler
{
    public string Queue => StageQueues.Notify;

    public bool Accepts(string resourceType) => resourceType == "Subscription";

    public async System.Threading.Tasks.Task HandleAsync(StageWork work, CancellationToken cancellationToken)
    {
        if (await directory.ReadAsync(work.Id, cancellationToken) is not { Topic: { } subscription } stored)
        {
            return;
        }

        switch (stored.Resource.Status)
        {
            case Subscription.SubscriptionStatus.Requested:
                await HandshakeAsync(subscription, cancellationToken);
                break;
            case Subscription.SubscriptionStatus.Active or Subscription.SubscriptionStatus.Error:
                await DeliverAsync(subscription, stored.Resource.Status.Value, cancellationToken);
                break;
        }
    }

    /// <summary>A heartbeat, when the subscription has nothing to deliver; returns whether the endpoint took it.</summary>
    public async Task<bool> HeartbeatAsync(TopicSubscription subscription, SubscriptionState state, CancellationToken cancellationToken)
    {
        var bundle = NotificationBundles.Create(NotificationTypes.Heartbeat, subscription, options.PublicBaseUrl, Subscription.SubscriptionStatus.Active, state.Events, [], subscription.Content, time.GetUtcNow());
        if (await notifier.SendAsync(subscription, bundle, cancellationToken) is not null)
        {
            return false;
        }

        await ledger.UpdateAsync(subscription.Id, s => s with { LastSent = time.GetUtcNow().UtcTicks }, cancellationToken);
        return true;
    }

    private async System.Threading.Tasks.Task HandshakeAsync(TopicSubscription subscription, CancellationToken cancellationToken)
    {
        var (state, _) = await ledger.ReadStateAsync(subscription.Id, cancellationToken);
        var bundle = NotificationBundles.Create(NotificationTypes.Handshake, subscription, options.PublicBaseUrl, Subscription.SubscriptionStatus.Requested, state.Events, [], subscription.Content, time.GetUtcNow());
        if (await notifier.SendAsync(subscription, bundle, cancellationToken) is { } failure)
        {
            LogHandshakeFailed(logger, subscription.Id, failure);
            await directory.SetStatusAsync(subscription.Id, Subscription.SubscriptionStatus.Requested, Subscription.SubscriptionStatus.Error, "The handshake failed: " + failure, cancellationToken);
            return;
        }

        await ledger.UpdateAsync(subscription.Id, s => s with { LastSent = time.GetUtcNow().UtcTicks, Failures = 0, Error = null }, cancellationToken);
        await directory.SetStatusAsync(subscription.Id, Subscription.SubscriptionStatus.Requested, Subscription.SubscriptionStatus.Active, null, cancellationToken);
    }

    private async System.Threading.Tasks.Task DeliverAsync(TopicSubscription subscription, Subscription.SubscriptionStatus status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var leased = await ledger.UpdateAsync(
            subscription.Id,
            s => !s.HasPending || s.LeaseUntil > now || s.NextAttempt > now ? null : s with { LeaseUntil = now + options.Lease.Ticks },
            cancellationToken);
        if (leased is null)
        {
            return; // nothing to deliver, another worker is at it, or a retry is scheduled
        }

        var state = leased;
        while (true)
        {
            var batch = await ledger.EventsAsync(subscription.Id, state.Delivered + 1, Math.Min(state.Events, state.Delivered + subscription.MaxCount), cancellationToken);
            var payload = new List<(SubscriptionEvent, Resource?)>();
            foreach (var recorded in batch)
            {
                payload.Add((recorded, subscription.Content == PayloadContent.FullResource ? await ledger.FocusOfAsync(recorded, cancellationToken) : null));
            }

            var bundle = NotificationBundles.Create(NotificationTypes.EventNotification, subscription, options.PublicBaseUrl, Subscription.SubscriptionStatus.Active, state.Events, payload, subscription.Content, time.GetUtcNow());
            var failure = await notifier.SendAsync(subscription, bundle, cancellationToken);

            // Each notification tried leaves its trace, what it was about included (an audit not written fails the
            // stage, which sends the notification again).
            await audit.RecordDeliveryAsync(subscription.Id, subscription.Endpoint, batch.Select(e => e.Resource), failure);
            if (failure is not null)
            {
                await FailedAsync(subscription, status, failure, cancellationToken);
                return;
            }

            // Delivered, and the lease given up in the same write when nothing is left: an event recorded after it
            // queues its own notification, which finds the subscription free.
            var last = batch.Count > 0 ? batch[^1].Number : Math.Min(state.Events, state.Delivered + subscription.MaxCount);
            state = (await ledger.UpdateAsync(subscription.Id, s =>
            {
                var delivered = Math.Max(s.Delivered, last);
                return s with { Delivered = delivered, Failures = 0, NextAttempt = null, Error = null, LastSent = time.GetUtcNow().UtcTicks, LeaseUntil = delivered >= s.Events ? null : s.LeaseUntil };
            }, cancellationToken))!;
            if (status == Subscription.SubscriptionStatus.Error)
            {
                await directory.SetStatusAsync(subscription.Id, Subscription.SubscriptionStatus.Error, Subscription.SubscriptionStatus.Active, null, cancellationToken);
                status = Subscription.SubscriptionStatus.Active;
                LogRecovered(logger, subscription.Id);
            }

            if (state.LeaseUntil is null)
            {
                return;
            }
        }
    }

    private async System.Threading.Tasks.Task FailedAsync(TopicSubscription subscription, Subscription.SubscriptionStatus status, string failure, CancellationToken cancellationToken)
    {
        var failed = (await ledger.UpdateAsync(
            subscription.Id,
            s => s with { Failures = s.Failures + 1, LeaseUntil = null, NextAttempt = (time.GetUtcNow() + Backoff.After(options.RetryDelay, options.MaxRetryDelay, s.Failures + 1)).UtcTicks, Error = failure },
            cancellationToken))!;
        var delay = Backoff.After(options.RetryDelay, options.MaxRetryDelay, failed.Failures);
        await queue.SendAsync([new StageMessage(StageQueues.Notify, new StageWork("Subscription", subscription.Id).Format(), delay)], cancellationToken);
        LogDeliveryFailed(logger, subscription.Id, failed.Failures, failure);
        if (status == Subscription.SubscriptionStatus.Active && failed.Failures >= options.MaxFailures)
        {
            await directory.SetStatusAsync(subscription.Id, Subscription.SubscriptionStatus.Active, Subscription.SubscriptionStatus.Error, $"{failed.Failures} deliveries failed in a row; the last: {failure} Events are kept and delivered once the endpoint takes them.", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The handshake of Subscription/{Subscription} failed: {Failure}")]
    private static partial void LogHandshakeFailed(ILogger logger, string subscription, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification of Subscription/{Subscription} failed ({Failures} in a row): {Failure}")]
    private static partial void LogDeliveryFailed(ILogger logger, string subscription, int failures, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription/{Subscription} is active again: its endpoint took the events it had missed.")]
    private static partial void LogRecovered(ILogger logger, string subscription);
}
