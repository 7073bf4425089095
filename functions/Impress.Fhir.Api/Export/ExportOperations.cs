using System.Globalization;
using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Http;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Export;
using Impress.Fhir.Storage;
using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// The FHIR Bulk Data Access interactions: kick-off (<c>$export</c> at system, Patient and Group level), the status
/// URL (<c>[base]/_export/{job}</c>: 202 with X-Progress while running, 200 with the manifest when done, DELETE to
/// cancel), and the files (<c>[base]/_export/{job}/{file}</c>, NDJSON).
/// </summary>
public sealed class ExportOperations(
    ExportKickoff kickoff,
    ExportJobStore jobs,
    IExportFileStore files,
    IFhirStore store,
    ExportOptions options,
    Security.SecurityOptions security,
    TimeProvider time)
{
    /// <summary>The path segment of status URLs and files under the FHIR base.</summary>
    public const string StatusSegment = "_export";

    public const string NdjsonMediaType = "application/fhir+ndjson";

    /// <summary>Starts an export; answers 202 with Content-Location, or 4xx naming what is wrong.</summary>
    /// <remarks>
    /// The caller's role and scopes must allow exporting every type asked for; a registry's export is de-identified
    /// (by the registry policy unless it names another), whatever it asks.
    /// </remarks>
    public async Task<FhirResult> KickOffAsync(HttpContext context, Caller caller, ExportLevel level, string? groupId, IEnumerable<KeyValuePair<string, string>> parameters, string baseUrl)
    {
        if (!PreferHeader.Parse(context.Request).RespondAsync)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "$export runs asynchronously: send 'Prefer: respond-async'.", "Prefer");
        }

        var request = context.Request;
        var (export, error) = kickoff.Parse(level, groupId, parameters, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        if (export is null)
        {
            return error!;
        }

        if (AccessPolicy.CheckExport(caller, export.Types) is { } refusal)
        {
            return refusal;
        }

        export = export with
        {
            Owner = caller.ClientId,
            Policy = export.Policy ?? (AccessPolicy.MustDeidentify(caller) ? ExportPolicies.Registry : null),
        };

        var cancel = context.RequestAborted;
        if (level == ExportLevel.Group && await store.ReadAsync("Group", groupId!, cancel) is not { IsDeleted: false })
        {
            return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no Group/{groupId} to export.");
        }

        var job = ExportJob.Start(ExportJobStore.NewId(), export, time.GetUtcNow());
        await jobs.SaveAsync(job, 0, [ExportStage.MessageFor(job.Id)], cancel);
        context.Response.Headers.ContentLocation = StatusUrl(baseUrl, job.Id);
        return new FhirResult { Status = HttpStatusCode.Accepted, Resource = Outcomes.Information($"Export {job.Id} accepted; poll its status at Content-Location.") };
    }

    /// <summary>The status of a job: running (202), done (200 and the manifest), failed (500 and why), or gone (404).</summary>
    public async Task<FhirResult?> StatusAsync(HttpContext context, Caller caller, string id, string baseUrl)
    {
        var cancel = context.RequestAborted;
        if (await CurrentAsync(id, caller, cancel) is not { } job)
        {
            return NoSuchJob(id);
        }

        var response = context.Response;
        switch (job.Status)
        {
            case ExportJobStatus.Accepted or ExportJobStatus.InProgress:
                response.Headers["X-Progress"] = job.Progress;
                response.Headers.RetryAfter = ((int)Math.Ceiling(options.PollInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new FhirResult { Status = HttpStatusCode.Accepted, Resource = Outcomes.Information($"In progress: {job.Progress}.") };
            case ExportJobStatus.Failed:
                return FhirResult.Error(HttpStatusCode.InternalServerError, OperationOutcome.IssueType.Exception, $"Export {id} failed: {job.Error}");
            default:
                await Audit.AuditedRequest.BeforeResponseAsync(context, HttpStatusCode.OK);
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json; charset=utf-8";
                response.Headers.Expires = job.ExpiresAt!.Value.ToString("R", CultureInfo.InvariantCulture);
                await response.Body.WriteAsync(Manifest(job, baseUrl), cancel);
                return null;
        }
    }

    /// <summary>Cancels a job (running or finished): its record and files are removed; 202, or 404 when there is no such job.</summary>
    public async Task<FhirResult> CancelAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        while (await jobs.ReadAsync(id, cancellationToken) is var (job, version) && IsOwner(caller, job))
        {
            try
            {
                await jobs.DeleteAsync(id, version, cancellationToken);
                await files.DeleteAsync(id, cancellationToken);
                return new FhirResult { Status = HttpStatusCode.Accepted, Resource = Outcomes.Information($"Export {id} cancelled; its files are removed.") };
            }
            catch (VersionConflictException)
            {
                // A slice finished in between: read the job again and cancel that.
            }
        }

        return NoSuchJob(id);
    }

    /// <summary>Streams one NDJSON file of a completed job.</summary>
    public async Task<FhirResult?> DownloadAsync(HttpContext context, Caller caller, string id, string fileName)
    {
        var cancel = context.RequestAborted;
        if (await CurrentAsync(id, caller, cancel) is not { Status: ExportJobStatus.Completed } job || job.Output.All(f => f.Name != fileName))
        {
            return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"Export {id} has no file {fileName}.");
        }

        await using var file = await files.OpenReadAsync(id, fileName, cancel);
        if (file is null)
        {
            return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"Export {id} has no file {fileName}.");
        }

        await Audit.AuditedRequest.BeforeResponseAsync(context, HttpStatusCode.OK);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = NdjsonMediaType;
        if (file.CanSeek)
        {
            context.Response.ContentLength = file.Length;
        }

        await file.CopyToAsync(context.Response.Body, cancel);
        return null;
    }

    /// <summary>Removes the jobs (and files) whose time is up; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = new List<(string Id, long Version)>();
        await foreach (var (job, version) in jobs.AllAsync(cancellationToken))
        {
            if (job.ExpiresAt is { } expires && expires <= now)
            {
                expired.Add((job.Id, version));
            }
        }

        var removed = 0;
        foreach (var (id, version) in expired)
        {
            if (await RemoveAsync(id, version, cancellationToken))
            {
                removed++;
            }
        }

        return removed;
    }

    public static string StatusUrl(string baseUrl, string jobId) => $"{baseUrl}/{StatusSegment}/{jobId}";

    /// <summary>A job of the caller's that exists and has not expired (an expired one is removed on the spot).</summary>
    private async Task<ExportJob?> CurrentAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        if (await jobs.ReadAsync(id, cancellationToken) is not var (job, version) || !IsOwner(caller, job))
        {
            return null;
        }

        if (job.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            await RemoveAsync(id, version, cancellationToken);
            return null;
        }

        return job;
    }

    /// <summary>Removes an expired job's record, then its files; false when the job changed meanwhile (cancelled, or removed by another sweep).</summary>
    private async Task<bool> RemoveAsync(string id, long version, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.DeleteAsync(id, version, cancellationToken);
        }
        catch (VersionConflictException)
        {
            return false;
        }

        await files.DeleteAsync(id, cancellationToken);
        return true;
    }

    /// <summary>Another client's export is not found, as if it did not exist.</summary>
    private static bool IsOwner(Caller caller, ExportJob job) =>
        caller.Role == CallerRole.LocalOperator || job.Request.Owner is null || job.Request.Owner == caller.ClientId;

    private byte[] Manifest(ExportJob job, string baseUrl)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("transactionTime", job.TransactionTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture));
            json.WriteString("request", job.Request.RequestUrl);
            json.WriteBoolean("requiresAccessToken", security.RequiresTokens);
            json.WriteStartArray("output");
            foreach (var file in job.Output)
            {
                json.WriteStartObject();
                json.WriteString("type", file.Type);
                json.WriteString("url", $"{StatusUrl(baseUrl, job.Id)}/{file.Name}");
                json.WriteNumber("count", file.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("error");
            json.WriteEndArray();
            if (job.Request.Policy is { } policy)
            {
                // Says how the files were de-identified, so nobody takes them for a raw export.
                json.WriteStartObject("extension");
                json.WriteString("anonymizationConfig", policy);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static FhirResult NoSuchJob(string id) =>
        FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no export {id} (never started, cancelled, or expired).");
}
