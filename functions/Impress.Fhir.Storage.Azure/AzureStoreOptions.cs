namespace Impress.Fhir.Storage.Azure;

/// <summary>Settings of the Azure Storage store (configuration section "Storage:Azure").</summary>
/// <remarks>
/// Locally (Azurite) give a connection string; in Azure give the service endpoints, and the store authenticates with
/// the app's managed identity through DefaultAzureCredential: no secret in configuration.
/// </remarks>
public sealed class AzureStoreOptions
{
    public const string Section = "Storage:Azure";

    /// <summary>A storage connection string (Azurite: "UseDevelopmentStorage=true", or one naming its ports).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Blob service endpoint, e.g. https://impressprod.blob.core.windows.net (with managed identity).</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The Table service endpoint, e.g. https://impressprod.table.core.windows.net (with managed identity).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The Queue service endpoint, e.g. https://impressprod.queue.core.windows.net (with managed identity).</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity, when the app has several.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The blob container of resource versions and commit manifests.</summary>
    public string ContainerName { get; set; } = "fhir-resources";

    /// <summary>The blob container of export jobs' NDJSON files.</summary>
    public string ExportContainerName { get; set; } = "fhir-exports";

    /// <summary>Prefixed to every table's name and, with a hyphen, every queue's ("impress-match"), so several stores can share an account.</summary>
    public string TablePrefix { get; set; } = "impress";

    /// <summary>
    /// How long a commit may stay undecided before another writer or the sweeper may abort it: longer than any
    /// commit takes, so that only the commits of a process that died are aborted.
    /// </summary>
    public TimeSpan AbandonedCommitAge { get; set; } = TimeSpan.FromMinutes(2);
}
