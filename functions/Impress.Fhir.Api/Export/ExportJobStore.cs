using System.Text.Json;
using System.Text.Json.Serialization;
using Impress.Fhir.Export;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// Export jobs as records in the store beside the resources (a kind of record the FHIR surface does not serve), so
/// a job outlives the process that runs it and every instance can answer its status. Each change is written against
/// the version read, so a cancel and a slice finishing at the same moment cannot both win.
/// </summary>
public sealed class ExportJobStore(IFhirStore store, TimeProvider time)
{
    public const string JobType = "impress.ExportJob";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A job and the version of its record, or null when there is none (never was, cancelled, or expired).</summary>
    public async Task<(ExportJob Job, long Version)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsJobId(id) || await store.ReadAsync(JobType, id, cancellationToken) is not { IsDeleted: false } stored)
        {
            return null;
        }

        return (JsonSerializer.Deserialize<ExportJob>(stored.Json.Span, Json)!, stored.VersionId);
    }

    /// <summary>Writes the job's next state over <paramref name="expectedVersion"/> (0 for a new job), with the messages that follow from it.</summary>
    /// <exception cref="VersionConflictException">The job changed since it was read.</exception>
    public Task SaveAsync(ExportJob job, long expectedVersion, IReadOnlyList<StageMessage> messages, CancellationToken cancellationToken) =>
        store.CommitAsync(
            new StoreCommit([new ResourceWrite(new ResourceVersion(JobType, job.Id, expectedVersion + 1, time.GetUtcNow(), false, JsonSerializer.SerializeToUtf8Bytes(job, Json)), expectedVersion, [])], [], messages),
            cancellationToken);

    /// <summary>Removes the job's record (cancelled or expired): its status URL answers 404 from then on.</summary>
    /// <exception cref="VersionConflictException">The job changed since it was read.</exception>
    public Task DeleteAsync(string id, long expectedVersion, CancellationToken cancellationToken) =>
        store.CommitAsync(StoreCommit.Of(new ResourceWrite(new ResourceVersion(JobType, id, expectedVersion + 1, time.GetUtcNow(), true, ReadOnlyMemory<byte>.Empty), expectedVersion, [])), cancellationToken);

    /// <summary>Every job on record, a page at a time (for the expiry sweep).</summary>
    public async IAsyncEnumerable<(ExportJob Job, long Version)> AllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.SearchAsync(new SearchQuery(JobType, [], null, [], 100, token), cancellationToken);
            foreach (var version in page.Resources)
            {
                yield return (JsonSerializer.Deserialize<ExportJob>(version.Json.Span, Json)!, version.VersionId);
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Job ids are the server's own GUIDs ("N" format); anything else in a status URL names no job.</summary>
    public static bool IsJobId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    public static string NewId() => Guid.NewGuid().ToString("N");
}
