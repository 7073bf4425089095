namespace Impress.Fhir.Api.Export;

/// <summary>Settings of Bulk Data export and its de-identification (configuration section "Export").</summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>How long the files of a finished export stay downloadable; then they and the job are removed.</summary>
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most resources one slice of a job writes: one NDJSON file, and one step a restarted job resumes from.</summary>
    public int SliceSize { get; set; } = 10_000;

    /// <summary>How many resources a slice reads from the store at a time.</summary>
    public int PageSize { get; set; } = 1_000;

    /// <summary>The Retry-After a client polling a running job is given.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often finished jobs are looked at for expiry (<c>impress serve</c>; on Azure, the timer).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// De-identification policies besides the shipped <c>registry</c>: a name and the path of a configuration file in the
    /// format of Microsoft's FHIR anonymizer (<c>Export:Policies:research=/etc/impress/research.json</c>).
    /// </summary>
    public Dictionary<string, string> Policies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys of every policy whose file leaves them empty: the HMAC key of pseudonyms (which keeps them the same
    /// from one export to the next), the date-shift key and the encryption key. From configuration or a key vault,
    /// never from the repository; <c>impress serve</c> makes and keeps a set in its data directory when none is given.
    /// </summary>
    public ExportKeyOptions Keys { get; set; } = new();
}

/// <summary>The secret keys of de-identification (configuration section "Export:Keys").</summary>
public sealed class ExportKeyOptions
{
    public string? CryptoHashKey { get; set; }

    public string? DateShiftKey { get; set; }

    public string? EncryptKey { get; set; }
}
