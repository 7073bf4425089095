using System.Threading.Channels;
using Hl7.Fhir.Model;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Matching;

/// <summary>
/// Re-matches every stored patient after the catalog changed (an arm's rule, a cohort opening or closing), in the
/// background: requests that arrive while one runs are folded into one more run, so a catalog edited study by
/// study is re-matched once it settles, not once per study.
/// </summary>
public sealed partial class RematchWorker(IFhirStore store, ProposalService proposals, MatchingOptions options, ILogger<RematchWorker> logger) : BackgroundService
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _completed;

    /// <summary>How many re-matches have finished since start.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    public void Request() => _requests.Writer.TryWrite(true);

    protected override async System.Threading.Tasks.Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ConsumeAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }

    private async System.Threading.Tasks.Task ConsumeAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var (patients, written) = await RematchAllAsync(stoppingToken);
                LogRematched(logger, patients, written);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRematchFailed(logger, e.GetType().FullName, e.StackTrace);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    /// <summary>Every patient with a genomic report, matched again; returns the patients and the proposals written.</summary>
    public async Task<(int Patients, int Written)> RematchAllAsync(CancellationToken cancellationToken)
    {
        var reports = await StoredSearch.AllAsync(store, "DiagnosticReport", [], cancellationToken);
        var patients = reports.Select(r => ((DiagnosticReport)r.Resource).Subject?.Reference)
            .OfType<string>().Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..])
            .Distinct(StringComparer.Ordinal).ToList();
        var written = 0;
        await Parallel.ForEachAsync(patients, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.RematchParallelism), CancellationToken = cancellationToken }, async (patient, token) =>
            Interlocked.Add(ref written, await proposals.RefreshAsync(patient, token)));
        return (patients.Count, written);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-matched {Patients} patients after a catalog change: {Written} proposals written.")]
    private static partial void LogRematched(ILogger logger, int patients, int written);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-matching failed: {ExceptionType} {StackTrace}")]
    private static partial void LogRematchFailed(ILogger logger, string? exceptionType, string? stackTrace);
}
