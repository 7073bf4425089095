namespace Impress.Fhir.Export;

/// <summary>Export files in a folder on disk: <c>{root}/{job id}/{file}</c>.</summary>
public sealed class FileSystemExportFileStore(string root) : IExportFileStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public IExportOutput For(string jobId) => new DirectoryExportOutput(JobDirectory(jobId));

    public Task<Stream?> OpenReadAsync(string jobId, string fileName, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(JobDirectory(jobId), ExportFileNames.Check(fileName));
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var directory = JobDirectory(jobId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private string JobDirectory(string jobId) => Path.Combine(Root, ExportFileNames.Check(jobId));

}

/// <summary>Files written straight into one folder (a job's, or the folder <c>impress export -o</c> names).</summary>
public sealed class DirectoryExportOutput(string directory) : IExportOutput
{
    public async Task WriteAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ExportFileNames.Check(fileName));
        var partial = path + ".partial";
        await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await write(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
    }

    public Task DeleteAsync(string fileName, CancellationToken cancellationToken = default)
    {
        File.Delete(Path.Combine(directory, ExportFileNames.Check(fileName)));
        return Task.CompletedTask;
    }
}
