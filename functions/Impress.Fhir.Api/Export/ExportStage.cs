using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Export;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// The export stage: each message of the <see cref="StageQueues.Export"/> queue runs one step of one job (its start,
/// or one slice) and queues the next step in the same commit that records this one. A worker that dies mid-slice
/// leaves the message to reappear, and the slice is written again from where the record says; a job cancelled
/// meanwhile makes the record's version move, so the slice's commit fails and its file is removed.
/// </summary>
public sealed partial class ExportStage(
    ExportJobStore jobs,
    ExportRunner runner,
    ExportPolicies policies,
    IExportFileStore files,
    ExportOptions options,
    TimeProvider time,
    ILogger<ExportStage> logger) : IStageHandler
{
    /// <summary>The type named in export messages: "ExportJob/{id}".</summary>
    public const string WorkType = "ExportJob";

    public string Queue => StageQueues.Export;

    public bool Accepts(string resourceType) => resourceType == WorkType;

    public static StageMessage MessageFor(string jobId) => new(StageQueues.Export, new StageWork(WorkType, jobId).Format());

    public async Task HandleAsync(StageWork work, CancellationToken cancellationToken)
    {
        if (await jobs.ReadAsync(work.Id, cancellationToken) is not var (job, version) || job.IsFinished)
        {
            return;     // cancelled, expired, or this message is a repeat of a finished step
        }

        var now = time.GetUtcNow();
        ExportJob next;
        try
        {
            next = job.Status == ExportJobStatus.Accepted
                ? await runner.StartAsync(job, now, cancellationToken)
                : await runner.RunSliceAsync(job, files.For(job.Id), job.Request.Policy is { } policy ? policies.Get(policy) : null, now, cancellationToken);
        }
        catch (AnonymizationProcessingException e)
        {
            // The policy cannot be applied to the data (its processingErrors say raise): trying again changes nothing.
            next = job with { Status = ExportJobStatus.Failed, Error = $"The de-identification policy could not be applied: {e.Message}", LastProgress = now };
        }

        if (next.IsFinished)
        {
            next = next with { ExpiresAt = now + options.FileLifetime };
            LogFinished(logger, job.Id, next.Status, next.Exported, next.Output.Count);
        }

        try
        {
            await jobs.SaveAsync(next, version, next.IsFinished ? [] : [MessageFor(job.Id)], cancellationToken);
        }
        catch (VersionConflictException)
        {
            // Someone else changed the job: cancelled it (then the slice's file must go too), or ran this step already.
            if (await jobs.ReadAsync(job.Id, cancellationToken) is null)
            {
                await files.DeleteAsync(job.Id, cancellationToken);
            }
        }
    }

    public async Task GiveUpAsync(StageWork work, CancellationToken cancellationToken)
    {
        if (await jobs.ReadAsync(work.Id, cancellationToken) is var (job, version) && !job.IsFinished)
        {
            var now = time.GetUtcNow();
            var failed = job with { Status = ExportJobStatus.Failed, Error = "The export failed repeatedly and was given up; the server's log has the details.", LastProgress = now, ExpiresAt = now + options.FileLifetime };
            await jobs.SaveAsync(failed, version, [], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {JobId} {Status}: {Exported} resources in {Files} files.")]
    private static partial void LogFinished(ILogger logger, string jobId, ExportJobStatus status, long exported, int files);
}
