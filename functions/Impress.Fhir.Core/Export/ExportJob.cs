namespace Impress.Fhir.Export;

/// <summary>Where an export job stands.</summary>
public enum ExportJobStatus
{
    /// <summary>Kicked off; no slice has run yet.</summary>
    Accepted,

    /// <summary>Slices are being written.</summary>
    InProgress,

    /// <summary>Every file is written; the manifest can be fetched until the job expires.</summary>
    Completed,

    /// <summary>The job could not finish; <see cref="ExportJob.Error"/> says why.</summary>
    Failed,
}

/// <summary>One NDJSON file of an export: its resources' type, its name in the job's folder, and how many lines it has.</summary>
public sealed record ExportFile(string Type, string Name, long Count);

/// <summary>
/// An export job as it is kept in the store: the request, where the next slice starts (a type and a page of it),
/// the files written so far and the outcome. Every slice is one update of this record, so a job whose worker
/// dies resumes at the last slice recorded, rewriting only the file of the slice that was cut short.
/// </summary>
/// <param name="Id">The job's id, also the name of its folder of files.</param>
/// <param name="Request">What was asked for.</param>
/// <param name="Status">Where the job stands.</param>
/// <param name="TransactionTime">The instant the export reflects: resources changed after it are not exported.</param>
/// <param name="Patients">At Group level, the ids of the group's patients, resolved when the job starts; null otherwise.</param>
/// <param name="TypeIndex">The index in <see cref="ExportRequest.Types"/> of the type the next slice reads.</param>
/// <param name="FilterIndex">Which of that type's <c>_typeFilter</c> queries the next slice reads (0 when it has none).</param>
/// <param name="Continuation">The store's continuation token within that type, or null to start it from the top.</param>
/// <param name="Output">The files written, in order.</param>
/// <param name="Exported">How many resources the files hold.</param>
/// <param name="Error">Why the job failed (no patient data), or null.</param>
/// <param name="LastProgress">When a slice last finished (or the job was kicked off).</param>
/// <param name="ExpiresAt">When a finished job and its files are removed; null while it runs.</param>
public sealed record ExportJob(
    string Id,
    ExportRequest Request,
    ExportJobStatus Status,
    DateTimeOffset TransactionTime,
    IReadOnlyList<string>? Patients,
    int TypeIndex,
    int FilterIndex,
    string? Continuation,
    IReadOnlyList<ExportFile> Output,
    long Exported,
    string? Error,
    DateTimeOffset LastProgress,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>A job just kicked off.</summary>
    public static ExportJob Start(string id, ExportRequest request, DateTimeOffset now) =>
        new(id, request, ExportJobStatus.Accepted, now, null, 0, 0, null, [], 0, null, now, null);

    public bool IsFinished => Status is ExportJobStatus.Completed or ExportJobStatus.Failed;

    /// <summary>The type the next slice reads, or null when every type is done.</summary>
    public string? CurrentType => TypeIndex < Request.Types.Count ? Request.Types[TypeIndex] : null;

    /// <summary>A short account of the progress for X-Progress, with no patient data.</summary>
    public string Progress => Status switch
    {
        ExportJobStatus.Accepted => "queued",
        ExportJobStatus.InProgress => $"{Exported} resources exported; {CurrentType ?? "finishing"} ({Math.Min(TypeIndex + 1, Request.Types.Count)} of {Request.Types.Count} types)",
        _ => Status.ToString().ToLowerInvariant(),
    };
}
