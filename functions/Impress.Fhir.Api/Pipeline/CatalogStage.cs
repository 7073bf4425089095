using Hl7.Fhir.Model;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// After a change to the catalog: reads the catalog again and fans out a match of every patient with a report,
/// each to be matched against this catalog at least. A burst of edits to the catalog is fanned out once: the
/// messages of edits the loaded catalog already holds find it fanned out.
/// </summary>
public sealed partial class CatalogStage(IFhirStore store, IStageQueue queue, CatalogService catalog, ILogger<CatalogStage> logger) : IStageHandler
{
    /// <summary>Match messages sent per batch.</summary>
    private const int Batch = 1_000;

    private long _fannedOut = -1;

    public string Queue => StageQueues.Catalog;

    public bool Accepts(string resourceType) => resourceType == "ResearchStudy";

    public async System.Threading.Tasks.Task HandleAsync(StageWork work, CancellationToken cancellationToken)
    {
        catalog.Invalidate();
        var stamp = await catalog.StampAsync(cancellationToken);
        if (Interlocked.Read(ref _fannedOut) == stamp)
        {
            return;
        }

        var reports = await StoredSearch.AllAsync(store, "DiagnosticReport", [], cancellationToken);
        var patients = reports.Select(r => ((DiagnosticReport)r.Resource).Subject?.Reference)
            .OfType<string>().Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..])
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in patients.Chunk(Batch))
        {
            await queue.SendAsync([.. batch.Select(p => new StageMessage(StageQueues.Match, new StageWork("Patient", p, stamp).Format()))], cancellationToken);
        }

        Interlocked.Exchange(ref _fannedOut, stamp);
        LogFannedOut(logger, patients.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The catalog changed: {Patients} patients queued to be matched again.")]
    private static partial void LogFannedOut(ILogger logger, int patients);
}
