namespace Impress.Fhir.Subscriptions;

/// <summary>The canonical URLs of the HL7 Subscriptions R5 Backport IG (hl7.fhir.uv.subscriptions-backport) that topic-based subscriptions on R4 use.</summary>
public static class Backport
{
    private const string Base = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";

    public const string FilterCriteria = Base + "backport-filter-criteria";
    public const string PayloadContent = Base + "backport-payload-content";
    public const string HeartbeatPeriod = Base + "backport-heartbeat-period";
    public const string Timeout = Base + "backport-timeout";
    public const string MaxCount = Base + "backport-max-count";
    public const string SubscriptionStatus = Base + "backport-subscription-status-r4";
    public const string TopicCanonical = Base + "capabilitystatement-subscriptiontopic-canonical";
    public const string SubscriptionNotification = Base + "backport-subscription-notification-r4";
    public const string StatusOperation = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status";
    public const string EventsOperation = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events";
}

/// <summary>How much of the changed resource a notification carries.</summary>
public enum PayloadContent
{
    /// <summary>Only the subscription status: the subscriber asks for what changed.</summary>
    Empty,

    /// <summary>The status and the changed resource's URL.</summary>
    IdOnly,

    /// <summary>The status and the changed resource itself.</summary>
    FullResource,
}

/// <summary>The kinds of notification bundle.</summary>
public static class NotificationTypes
{
    public const string Handshake = "handshake";
    public const string Heartbeat = "heartbeat";
    public const string EventNotification = "event-notification";
    public const string QueryStatus = "query-status";
    public const string QueryEvent = "query-event";
}
