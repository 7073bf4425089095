using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Impress.Fhir.Export;

namespace Impress.Fhir.Storage.Azure;

/// <summary>Export files as block blobs: <c>{job id}/{file}</c> in the export container.</summary>
internal sealed class AzureExportFileStore(BlobContainerClient container) : IExportFileStore
{
    public IExportOutput For(string jobId) => new Output(container, ExportFileNames.Check(jobId));

    public async Task<Stream?> OpenReadAsync(string jobId, string fileName, CancellationToken cancellationToken = default)
    {
        try
        {
            return await container.GetBlobClient($"{ExportFileNames.Check(jobId)}/{ExportFileNames.Check(fileName)}").OpenReadAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ExportFileNames.Check(jobId) + "/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    private sealed class Output(BlobContainerClient container, string jobId) : IExportOutput
    {
        public async Task WriteAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            // The blob's blocks are committed only when the stream is disposed after a whole write; a write that
            // fails leaves its blocks uncommitted, and the blob (if an earlier try committed one) as it was.
            var stream = await container.GetBlockBlobClient($"{jobId}/{ExportFileNames.Check(fileName)}").OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
            await write(stream, cancellationToken);
            await stream.DisposeAsync();
        }

        public Task DeleteAsync(string fileName, CancellationToken cancellationToken = default) =>
            container.DeleteBlobIfExistsAsync($"{jobId}/{ExportFileNames.Check(fileName)}", cancellationToken: cancellationToken);
    }
}
