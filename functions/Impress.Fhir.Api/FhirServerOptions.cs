namespace Impress.Fhir.Api;

/// <summary>Settings of the FHIR REST surface (configuration section "Fhir").</summary>
public sealed class FhirServerOptions
{
    public const string Section = "Fhir";

    /// <summary>The path of the FHIR base below the host, e.g. "/fhir" for http://127.0.0.1:8080/fhir.</summary>
    public string BasePath { get; set; } = "/fhir";

    /// <summary>The largest request body accepted, in bytes; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>The longest JSON string in a request, in bytes; a longer one gets 400. Leaves room for base64 attachments.</summary>
    public int MaxStringBytes { get; set; } = Fhir.FhirJsonReader.DefaultMaxStringBytes;

    /// <summary>The most entries a transaction or batch bundle may hold; more get 413.</summary>
    public int MaxBundleEntries { get; set; } = 10_000;

    /// <summary>The page size of a search without _count.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest _count honoured; larger values are lowered to it.</summary>
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>The most parameters a search may have; more get 400.</summary>
    public int MaxSearchParameters { get; set; } = 50;

    /// <summary>The most resources one _include or _revinclude adds to a page.</summary>
    public int MaxIncluded { get; set; } = 1_000;

    /// <summary>How many times a write whose optimistic check lost a race is planned again before giving up with 409.</summary>
    public int MaxWriteAttempts { get; set; } = 5;
}
