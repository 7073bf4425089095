namespace Impress.Fhir.Export;

/// <summary>
/// Where export jobs keep their NDJSON files: a folder per job, written a whole file at a time. The embedded store
/// keeps them in its data directory, the Azure store in a blob container.
/// </summary>
public interface IExportFileStore
{
    /// <summary>The files of one job.</summary>
    IExportOutput For(string jobId);

    /// <summary>Opens a job's file for reading, or returns null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string jobId, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Removes a job's files; nothing happens when it has none.</summary>
    Task DeleteAsync(string jobId, CancellationToken cancellationToken = default);
}

/// <summary>A folder the slices of one export write their files to.</summary>
public interface IExportOutput
{
    /// <summary>
    /// Writes one file whole: <paramref name="write"/> fills the stream, and the file appears (replacing one of the
    /// same name) only once it returns, so a slice cut short leaves no half file behind under the name.
    /// </summary>
    Task WriteAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    /// <summary>Removes one file, if it is there.</summary>
    Task DeleteAsync(string fileName, CancellationToken cancellationToken = default);
}
