namespace Impress.Fhir.Subscriptions;

/// <summary>One topic a subscriber can subscribe to: what triggers it, and the filters it takes.</summary>
/// <param name="Canonical">The topic's canonical URL, the value of <c>Subscription.criteria</c>.</param>
/// <param name="ResourceType">The resource type its events are about (and its filters name).</param>
/// <param name="Filters">The filter parameters the topic takes.</param>
/// <param name="Description">What triggers an event, for the CapabilityStatement and the topic's resource.</param>
public sealed record SubscriptionTopic(string Canonical, string ResourceType, IReadOnlyList<string> Filters, string Description)
{
    /// <summary>The last segment of the canonical: <c>careplan-update</c>.</summary>
    public string Code => Canonical[(Canonical.LastIndexOf('/') + 1)..];
}

/// <summary>The topics this server raises events for.</summary>
public static class SubscriptionTopics
{
    private const string Base = "http://impress-norway.no/fhir/SubscriptionTopic/";

    /// <summary>A CarePlan for a patient is created, or its status or intent changes (proposed, accepted, revoked, completed).</summary>
    public static SubscriptionTopic CarePlanUpdate { get; } = new(
        Base + "careplan-update",
        "CarePlan",
        ["status", "intent", "subject", "organization", "region"],
        "A CarePlan is created, or its status or intent changes. Filters: status, intent, subject (Patient), organization (the patient's hospital, by organisation number), region (the hospital's regional health trust). A region or organization filter is required.");

    /// <summary>A cohort ResearchStudy opens, moves to stage 2, closes or expands.</summary>
    public static SubscriptionTopic CohortStatus { get; } = new(
        Base + "cohort-status",
        "ResearchStudy",
        ["status", "identifier"],
        "A cohort ResearchStudy opens, moves to its next stage, closes or expands. Filters: status, identifier (the cohort's).");

    public static IReadOnlyList<SubscriptionTopic> All { get; } = [CarePlanUpdate, CohortStatus];

    public static SubscriptionTopic? Find(string? canonical) => All.FirstOrDefault(t => t.Canonical == canonical);

    /// <summary>The filters of <see cref="CarePlanUpdate"/> of which one is required: nobody gets every region's patients.</summary>
    public static IReadOnlyList<string> CarePlanScopeFilters { get; } = ["region", "organization"];
}
