using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Impress.Fhir.Storage.Azure;

/// <summary>The container and tables of one store, created when missing.</summary>
internal sealed class StorageClients
{
    private StorageClients(BlobContainerClient blobs, BlobContainerClient exports, TableServiceClient tables, QueueServiceClient queues, string prefix)
    {
        Blobs = blobs;
        Exports = exports;
        Queues = queues;
        QueuePrefix = prefix + "-";
        Commits = tables.GetTableClient(prefix + "commits");
        Versions = tables.GetTableClient(prefix + "versions");
        Claims = tables.GetTableClient(prefix + "claims");
        Tokens = tables.GetTableClient(prefix + "tokens");
        Current = tables.GetTableClient(prefix + "current");
    }

    public BlobContainerClient Blobs { get; }

    /// <summary>The container of export jobs' files.</summary>
    public BlobContainerClient Exports { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>The prefix of this store's queue names: a stage's queue "match" is "{prefix}-match" in the account.</summary>
    public string QueuePrefix { get; }

    public TableClient Commits { get; }

    public TableClient Versions { get; }

    public TableClient Claims { get; }

    public TableClient Tokens { get; }

    public TableClient Current { get; }

    /// <summary>The account's queue of a stage queue name ("match", "match-poison").</summary>
    public QueueClient Queue(string queue) => Queues.GetQueueClient(QueuePrefix + queue);

    public static async Task<StorageClients> ConnectAsync(AzureStoreOptions options, CancellationToken cancellationToken)
    {
        BlobServiceClient blobService;
        TableServiceClient tableService;
        QueueServiceClient queueService;

        // Base64, as the Functions host's queue trigger reads messages by default.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrEmpty(options.ConnectionString))
        {
            blobService = new BlobServiceClient(options.ConnectionString);
            tableService = new TableServiceClient(options.ConnectionString);
            queueService = new QueueServiceClient(options.ConnectionString, queueOptions);
        }
        else if (options.BlobServiceUri is { } blobUri && options.TableServiceUri is { } tableUri && options.QueueServiceUri is { } queueUri)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
            blobService = new BlobServiceClient(blobUri, credential);
            tableService = new TableServiceClient(tableUri, credential);
            queueService = new QueueServiceClient(queueUri, credential, queueOptions);
        }
        else
        {
            throw new InvalidOperationException(
                $"The Azure store needs {AzureStoreOptions.Section}:ConnectionString (Azurite) or {AzureStoreOptions.Section}:BlobServiceUri, TableServiceUri and QueueServiceUri (managed identity).");
        }

        var clients = new StorageClients(blobService.GetBlobContainerClient(options.ContainerName), blobService.GetBlobContainerClient(options.ExportContainerName), tableService, queueService, options.TablePrefix);
        await clients.Blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await clients.Exports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var table in new[] { clients.Commits, clients.Versions, clients.Claims, clients.Tokens, clients.Current })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        foreach (var queue in StageQueues.All.SelectMany(q => new[] { q, StageQueues.PoisonOf(q) }))
        {
            await clients.Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        return clients;
    }
}
