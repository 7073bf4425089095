using System.Globalization;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Subscriptions;

/// <summary>
/// Notification bundles as the Backport IG has them on R4: a <c>history</c> Bundle whose first entry is the
/// subscription status (a <c>backport-subscription-status-r4</c> Parameters: type, events since the subscription
/// started, the events with their numbers and focus), then, as the payload content says, the changed resources.
/// </summary>
public static class NotificationBundles
{
    /// <param name="type">handshake, heartbeat, event-notification, query-status or query-event.</param>
    /// <param name="subscription">The subscription.</param>
    /// <param name="baseUrl">The server's FHIR base, for absolute URLs.</param>
    /// <param name="status">The subscription's status as the notification reports it.</param>
    /// <param name="eventsSinceStart">How many events the subscription has had.</param>
    /// <param name="events">The events to carry, each with its resource version (for full-resource; null when gone).</param>
    /// <param name="content">How much of each resource to carry.</param>
    /// <param name="now">The bundle's timestamp.</param>
    /// <param name="error">Why the subscription is in error, when it is.</param>
    public static Bundle Create(
        string type,
        TopicSubscription subscription,
        Uri baseUrl,
        Subscription.SubscriptionStatus status,
        long eventsSinceStart,
        IReadOnlyList<(SubscriptionEvent Event, Resource? Resource)> events,
        PayloadContent content,
        DateTimeOffset now,
        string? error = null)
    {
        var subscriptionUrl = Absolute(baseUrl, "Subscription/" + subscription.Id);
        var parameters = new Parameters { Meta = new Meta { Profile = [Backport.SubscriptionStatus] } };
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "subscription", Value = new ResourceReference(subscriptionUrl) });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "topic", Value = new Canonical(subscription.Topic.Canonical) });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "status", Value = new Code(Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)) });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "type", Value = new Code(type) });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "events-since-subscription-start", Value = new FhirString(eventsSinceStart.ToString(CultureInfo.InvariantCulture)) });
        foreach (var (notification, _) in events)
        {
            var part = new Parameters.ParameterComponent { Name = "notification-event" };
            part.Part.Add(new Parameters.ParameterComponent { Name = "event-number", Value = new FhirString(notification.Number.ToString(CultureInfo.InvariantCulture)) });
            part.Part.Add(new Parameters.ParameterComponent { Name = "timestamp", Value = new Instant(notification.Timestamp) });
            if (content != PayloadContent.Empty)
            {
                part.Part.Add(new Parameters.ParameterComponent { Name = "focus", Value = new ResourceReference(Absolute(baseUrl, notification.Resource)) });
            }

            parameters.Parameter.Add(part);
        }

        if (error is not null)
        {
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "error", Value = new CodeableConcept { Text = error } });
        }

        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.History,
            Timestamp = now,
            Meta = new Meta { Profile = [Backport.SubscriptionNotification] },
        };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + Guid.NewGuid(),
            Resource = parameters,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Subscription/{subscription.Id}/$status" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });

        if (content == PayloadContent.Empty)
        {
            return bundle;
        }

        foreach (var (notification, resource) in events)
        {
            var created = notification.Version == 1;
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = Absolute(baseUrl, notification.Resource),
                Resource = content == PayloadContent.FullResource ? resource : null,
                Request = new Bundle.RequestComponent { Method = created ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT, Url = created ? notification.Resource.Split('/')[0] : notification.Resource },
                Response = new Bundle.ResponseComponent { Status = created ? "201" : "200" },
            });
        }

        return bundle;
    }

    /// <summary>The subscription status Parameters at the head of a notification bundle.</summary>
    public static Parameters StatusOf(Bundle notification) => (Parameters)notification.Entry[0].Resource!;

    private static string Absolute(Uri baseUrl, string relative) => baseUrl.ToString().TrimEnd('/') + "/" + relative;
}
