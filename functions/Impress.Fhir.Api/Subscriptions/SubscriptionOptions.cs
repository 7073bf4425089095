namespace Impress.Fhir.Api.Subscriptions;

/// <summary>Settings of topic-based subscriptions (configuration section "Subscriptions").</summary>
public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>
    /// The server's public FHIR base, for the absolute URLs in notifications. <c>impress serve</c> takes the address it
    /// listens on, the Functions app https://{WEBSITE_HOSTNAME}/fhir, when this is not set.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The base notifications name resources by: <see cref="BaseUrl"/>, or a placeholder until the host has one.</summary>
    public Uri PublicBaseUrl => BaseUrl ?? new Uri("http://localhost/fhir");

    /// <summary>Failed deliveries in a row after which an active subscription is put in error (it keeps its events and recovers).</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>The wait before a failed delivery is tried again, doubled with each failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between tries (also while a subscription is in error).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an endpoint may take to answer when the subscription names no timeout.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a worker delivering a subscription's events holds it; after that another may take over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often heartbeats are sent and undelivered events looked for (<c>impress serve</c>; on Azure, the timer).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a process works with the subscriptions it read before it reads them again (several instances).</summary>
    public TimeSpan DirectoryRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most events one $events answer carries.</summary>
    public int MaxEventsPerQuery { get; set; } = 100;
}
