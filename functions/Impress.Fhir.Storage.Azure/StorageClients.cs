using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Impress.Fhir.Storage.Azure;

/// <summary>The container and tables of one store, created when missing.</summary>
internal sealed class StorageClients
{
    private StorageClients(BlobContainerClient blobs, TableServiceClient tables, string prefix)
    {
        Blobs = blobs;
        Commits = tables.GetTableClient(prefix + "commits");
        Versions = tables.GetTableClient(prefix + "versions");
        Claims = tables.GetTableClient(prefix + "claims");
        Tokens = tables.GetTableClient(prefix + "tokens");
        Current = tables.GetTableClient(prefix + "current");
    }

    public BlobContainerClient Blobs { get; }

    public TableClient Commits { get; }

    public TableClient Versions { get; }

    public TableClient Claims { get; }

    public TableClient Tokens { get; }

    public TableClient Current { get; }

    public static async Task<StorageClients> ConnectAsync(AzureStoreOptions options, CancellationToken cancellationToken)
    {
        BlobServiceClient blobService;
        TableServiceClient tableService;
        if (!string.IsNullOrEmpty(options.ConnectionString))
        {
            blobService = new BlobServiceClient(options.ConnectionString);
            tableService = new TableServiceClient(options.ConnectionString);
        }
        else if (options.BlobServiceUri is { } blobUri && options.TableServiceUri is { } tableUri)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            blobService = new BlobServiceClient(blobUri, credential);
            tableService = new TableServiceClient(tableUri, credential);
        }
        else
        {
            throw new InvalidOperationException(
                $"The Azure store needs {AzureStoreOptions.Section}:ConnectionString (Azurite) or both {AzureStoreOptions.Section}:BlobServiceUri and TableServiceUri (managed identity).");
        }

        var clients = new StorageClients(blobService.GetBlobContainerClient(options.ContainerName), tableService, options.TablePrefix);
        await clients.Blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var table in new[] { clients.Commits, clients.Versions, clients.Claims, clients.Tokens, clients.Current })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        return clients;
    }
}
