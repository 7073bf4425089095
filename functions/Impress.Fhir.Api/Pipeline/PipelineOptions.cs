namespace Impress.Fhir.Api.Pipeline;

/// <summary>Settings of the pipeline's stages (configuration section "Pipeline").</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>
    /// Whether <c>impress serve</c> runs the stages after accept (match, catalog, publish, and the outbox sweep) in
    /// its own process. False for an instance that only accepts reports, leaving the queued work to others (or to a
    /// later start): nothing queued is lost meanwhile.
    /// </summary>
    public bool RunStages { get; set; } = true;

    /// <summary>How many messages of the match stage one process works on at once (<c>impress serve</c>).</summary>
    public int MatchConcurrency { get; set; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>How many deliveries of the publish stage one process carries out at once (<c>impress serve</c>).</summary>
    public int PublishConcurrency { get; set; } = 16;

    /// <summary>How many CarePlan and study versions the events stage of one process looks at at once.</summary>
    public int EventsConcurrency { get; set; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>How many subscriptions the notify stage of one process notifies at once (each one's events stay in order).</summary>
    public int NotifyConcurrency { get; set; } = 16;

    /// <summary>How long a received message is hidden from other receivers: longer than any stage takes with it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a message is tried before it goes to its poison queue. The Functions host's
    /// <c>maxDequeueCount</c> (host.json) is the same, so that this code, not the host, moves it there.
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The wait before a failed message is tried again, doubled with each failure.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before a failed message is tried again.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an idle worker waits before it looks at its queue again (the embedded store wakes it at once).</summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(30);
}
