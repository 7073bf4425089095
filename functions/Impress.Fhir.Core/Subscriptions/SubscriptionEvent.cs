namespace Impress.Fhir.Subscriptions;

/// <summary>One event of one subscription: numbered from 1 without gaps, kept so a subscriber can fetch it again ($events).</summary>
/// <param name="Number">The event's number in its subscription.</param>
/// <param name="Timestamp">When the change it reports was stored.</param>
/// <param name="Focus">The resource version it reports: "CarePlan/{id}/_history/{version}".</param>
public sealed record SubscriptionEvent(long Number, DateTimeOffset Timestamp, string Focus)
{
    /// <summary>The focus without its version: "CarePlan/{id}".</summary>
    public string Resource => Focus.Split("/_history/")[0];

    /// <summary>The version of the focus.</summary>
    public long Version => long.Parse(Focus.Split("/_history/")[1], System.Globalization.CultureInfo.InvariantCulture);
}
