using Hl7.Fhir.Model;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Testing;

/// <summary>Subscriptions as a regional health trust's client creates them (Subscriptions R5 Backport on R4).</summary>
public static class ExampleSubscriptions
{
    /// <summary>A careplan-update subscription (change its criteria for another topic) to a rest-hook endpoint, status requested.</summary>
    public static Subscription CarePlans(Uri endpoint, string filter, string content = "id-only", int? heartbeatSeconds = null, params string[] headers)
    {
        var subscription = new Subscription
        {
            Status = Subscription.SubscriptionStatus.Requested,
            Reason = "CarePlan updates for a regional health trust",
            CriteriaElement = new FhirString(SubscriptionTopics.CarePlanUpdate.Canonical),
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = endpoint.ToString(),
                PayloadElement = new Code("application/fhir+json"),
                Header = [.. headers],
            },
        };
        subscription.CriteriaElement!.Extension.Add(new Extension(Backport.FilterCriteria, new FhirString(filter)));
        subscription.Channel.PayloadElement!.Extension.Add(new Extension(Backport.PayloadContent, new Code(content)));
        if (heartbeatSeconds is { } seconds)
        {
            subscription.Channel.Extension.Add(new Extension(Backport.HeartbeatPeriod, new UnsignedInt(seconds)));
        }

        return subscription;
    }
}
