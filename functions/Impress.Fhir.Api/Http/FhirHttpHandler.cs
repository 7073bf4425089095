using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Audit;
using Impress.Fhir.Api.Capabilities;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Http;

/// <summary>
/// The FHIR REST surface: maps an HTTP request under the FHIR base onto an interaction and writes its result. Both
/// hosts hand every request below their base path to <see cref="HandleAsync"/>, so the two behave the same.
/// </summary>
public sealed partial class FhirHttpHandler(
    ResourceService resources,
    TransactionProcessor transactions,
    Tso500ImportOperation tso500Import,
    MatchOperation match,
    Subscriptions.SubscriptionOperations subscriptions,
    Export.ExportOperations exports,
    CapabilityStatementFactory capabilities,
    FhirRequestReader reader,
    SecurityOptions security,
    CallerAuthenticator authenticator,
    ClientRateLimiter rateLimiter,
    ReportAuthorship authorship,
    SubscriptionScope subscriptionScope,
    AuditTrail auditTrail,
    ILogger<FhirHttpHandler> logger)
{
    /// <summary>Handles one request; <paramref name="path"/> is the part after the FHIR base ("Patient/1", "" for the base).</summary>
    public async Task HandleAsync(HttpContext context, string? path)
    {
        var response = new FhirResponseWriter(context);
        try
        {
            var trimmed = (path ?? "").Trim('/');
            if (await AnswerAnonymousAsync(context, trimmed, response))
            {
                return;
            }

            var (caller, refusal) = await authenticator.AuthenticateAsync(context);
            if (caller is null)
            {
                LogRefused(logger, context.Request.Method, context.TraceIdentifier, (int)refusal!.Status);
                await response.WriteAsync(refusal, PreferHeader.Default);
                return;
            }

            if (rateLimiter.TryAcquire(caller) is { } limited)
            {
                await response.WriteAsync(limited, PreferHeader.Default);
                return;
            }

            // From here on every answer is recorded in the audit trail before it is sent.
            CallerContext.Enter(caller);
            var audit = new AuditedRequest(auditTrail, caller, context);
            context.Features.Set(audit);
            var result = await DispatchAsync(context, trimmed, response, audit);
            if (result is not null)
            {
                await response.WriteAsync(result, PreferHeader.Parse(context.Request));
            }
        }
        catch (AuditUnavailableException) when (!context.Response.HasStarted)
        {
            await WriteUnaudited(context, response, AuditUnavailable(context));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted && Refusal(e) is { } refused)
        {
            await WriteOrUnaudited(context, response, refused);
        }
        catch (Exception e)
        {
            // The message may quote request content, so only the exception's type and stack are logged.
            LogUnexpected(logger, context.Request.Method, context.TraceIdentifier, e.GetType().FullName, e.StackTrace);
            if (!context.Response.HasStarted)
            {
                await WriteOrUnaudited(context, response, FhirResult.Error(HttpStatusCode.InternalServerError, OperationOutcome.IssueType.Exception,
                    $"The server failed to process the request (trace id {context.TraceIdentifier})."));
            }
        }
    }

    /// <summary>The answers of exceptions that stand for a 4xx: a request that could not be read, a write into another tenant's patient.</summary>
    private static FhirResult? Refusal(Exception e) => e switch
    {
        BadRequestException bad => bad.Result,
        TenantAccessException denied => AccessPolicy.Forbidden(denied.Message),
        _ => null,
    };

    /// <summary>Writes an answer that could not be written because its audit record could not: 503 instead, unrecorded.</summary>
    private static async Task WriteOrUnaudited(HttpContext context, FhirResponseWriter response, FhirResult result)
    {
        try
        {
            await response.WriteAsync(result, PreferHeader.Default);
        }
        catch (AuditUnavailableException) when (!context.Response.HasStarted)
        {
            await WriteUnaudited(context, response, AuditUnavailable(context));
        }
    }

    private static FhirResult AuditUnavailable(HttpContext context) =>
        FhirResult.Error(HttpStatusCode.ServiceUnavailable, OperationOutcome.IssueType.Transient,
            $"The request could not be recorded in the audit trail, so it is not answered; try again (trace id {context.TraceIdentifier}).");

    private static Task WriteUnaudited(HttpContext context, FhirResponseWriter response, FhirResult result)
    {
        context.Features.Set<AuditedRequest>(null);
        return response.WriteAsync(result, PreferHeader.Default);
    }

    /// <summary>What anybody may read without a token, as SMART asks: the CapabilityStatement and the SMART configuration.</summary>
    private async Task<bool> AnswerAnonymousAsync(HttpContext context, string path, FhirResponseWriter response)
    {
        if (path == SmartConfiguration.Path)
        {
            if (context.Request.Method != HttpMethods.Get)
            {
                await response.WriteAsync(MethodNotAllowed(context.Request.Method, "the SMART configuration", "GET"), PreferHeader.Default);
            }
            else if (!security.RequiresTokens)
            {
                await response.WriteAsync(FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound,
                    "This server takes no tokens (no Security:Authority or Security:JwksFile); it listens on loopback only."), PreferHeader.Default);
            }
            else
            {
                await SmartConfiguration.WriteAsync(context, security);
            }

            return true;
        }

        if (path == "metadata")
        {
            var result = context.Request.Method != HttpMethods.Get
                ? MethodNotAllowed(context.Request.Method, "metadata", "GET")
                : ContentNegotiation.Check(context.Request) ?? new FhirResult { Status = HttpStatusCode.OK, Resource = capabilities.Create(response.BaseUrl) };
            await response.WriteAsync(result, PreferHeader.Default);
            return true;
        }

        return false;
    }

    private async Task<FhirResult?> DispatchAsync(HttpContext context, string path, FhirResponseWriter response, AuditedRequest audit)
    {
        var request = context.Request;
        var cancel = context.RequestAborted;
        var segments = path.Length == 0 ? [] : path.Split('/');
        var method = request.Method;
        var caller = audit.Caller;

        // Export files are NDJSON and the manifest plain JSON, whatever the client accepts.
        switch (segments)
        {
            case [Export.ExportOperations.StatusSegment, var job] when method == HttpMethods.Get:
                audit.Is("operation", AuditEvent.AuditEventAction.R, export: true).TouchesExport(job);
                return await exports.StatusAsync(context, caller, job, response.BaseUrl);
            case [Export.ExportOperations.StatusSegment, var job] when method == HttpMethods.Delete:
                audit.Is("operation", AuditEvent.AuditEventAction.D, export: true).TouchesExport(job);
                return await exports.CancelAsync(caller, job, cancel);
            case [Export.ExportOperations.StatusSegment, _]:
                return MethodNotAllowed(method, "an export's status", "GET, DELETE");
            case [Export.ExportOperations.StatusSegment, var job, var file] when method == HttpMethods.Get:
                audit.Is("operation", AuditEvent.AuditEventAction.R, export: true).TouchesExport(job);
                return await exports.DownloadAsync(context, caller, job, file);
            case [Export.ExportOperations.StatusSegment, ..]:
                return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"'{path}' is not an export or a file of one.");
        }

        if (ContentNegotiation.Check(request) is { } unacceptable)
        {
            return unacceptable;
        }

        switch (segments)
        {
            case ["$export"]:
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.System, null, response, audit);
            case ["Patient", "$export"]:
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.Patient, null, response, audit);
            case ["Group", var group, "$export"]:
                audit.Touches("Group/" + group);
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.Group, group, response, audit);
        }

        switch (segments)
        {
            case []:
                return method == HttpMethods.Post
                    ? await WithBodyAsync(context, (document, body) => TransactionAsync(document, body, audit, cancel))
                    : MethodNotAllowed(method, "the base URL", "POST (transaction or batch)");
            case ["$validate"]:
                audit.Is("operation", AuditEvent.AuditEventAction.E);
                return method == HttpMethods.Post ? await ValidateAsync(context, null) : MethodNotAllowed(method, "$validate", "POST");
            case ["$" + MatchOperation.Name]:
                audit.Is("operation", AuditEvent.AuditEventAction.E);
                return method != HttpMethods.Post ? MethodNotAllowed(method, "$" + MatchOperation.Name, "POST")
                    : AccessPolicy.Check(caller, "ResearchStudy", SmartPermissions.Read)
                        ?? await WithBodyAsync(context, (document, _) => match.ExecuteAsync(document.Resource, cancel));
            case ["$" + Tso500ImportOperation.Name]:
                audit.Is("operation", AuditEvent.AuditEventAction.C);
                return method != HttpMethods.Post ? MethodNotAllowed(method, "$" + Tso500ImportOperation.Name, "POST")
                    : AccessPolicy.Check(caller, "DiagnosticReport", SmartPermissions.Create)
                        ?? Audited(await WithBodyAsync(context, (document, _) => tso500Import.ExecuteAsync(document.Resource, PreferHeader.Parse(request).ReturnRepresentation, cancel)), audit);
        }

        switch (segments)
        {
            case ["Subscription", var id, "$status"]:
                audit.Is("operation", AuditEvent.AuditEventAction.R).Touches("Subscription/" + id);
                return method is not ("GET" or "POST") ? MethodNotAllowed(method, "$status", "GET, POST")
                    : AccessPolicy.Check(caller, "Subscription", SmartPermissions.Read) ?? await subscriptions.StatusAsync(id, cancel);
            case ["Subscription", var id, "$events"]:
                audit.Is("operation", AuditEvent.AuditEventAction.R).Touches("Subscription/" + id);
                return method is not ("GET" or "POST") ? MethodNotAllowed(method, "$events", "GET, POST")
                    : AccessPolicy.Check(caller, "Subscription", SmartPermissions.Read) ?? await subscriptions.EventsAsync(id, request.Query, cancel);
            case ["Basic"] when method == HttpMethods.Get:
                audit.Is("search-type", AuditEvent.AuditEventAction.E);
                return subscriptions.Topics(response.BaseUrl);
            case ["Basic", var code] when method == HttpMethods.Get:
                audit.Is("read", AuditEvent.AuditEventAction.R).Touches("Basic/" + code);
                return subscriptions.Topic(code);
            case ["Basic", ..]:
                return MethodNotAllowed(method, "Basic (the subscription topics)", "GET");
        }

        var type = segments[0];
        if (!capabilities.ResourceTypes.Contains(type))
        {
            return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported,
                $"'{type}' is not a resource type this server stores ({string.Join(", ", capabilities.ResourceTypes)}).");
        }

        switch (segments)
        {
            case [_] when method == HttpMethods.Get:
                return await SearchAsync(context, type, request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))), response, audit);
            case [_] when method == HttpMethods.Post:
                audit.Is("create", AuditEvent.AuditEventAction.C);
                return AccessPolicy.Check(caller, type, SmartPermissions.Create)
                    ?? await WithBodyAsync(context, async (document, _) => await CheckContentAsync(caller, document.Resource, null, cancel)
                        ?? Audited(await resources.CreateAsync(type, document, request.Headers["If-None-Exist"].FirstOrDefault(), cancel), audit, document.Resource));
            case [_] when method == HttpMethods.Put && request.QueryString.HasValue:
                audit.Is("update", AuditEvent.AuditEventAction.U);
                return AccessPolicy.Check(caller, type, SmartPermissions.Update)
                    ?? await WithBodyAsync(context, async (document, _) => await CheckContentAsync(caller, document.Resource, null, cancel)
                        ?? Audited(await resources.ConditionalUpdateAsync(type, FhirQuery.Parse(request.QueryString.Value!), document, cancel), audit, document.Resource));
            case [_]:
                return MethodNotAllowed(method, type, "GET, POST, PUT with search criteria");
            case [_, "_search"] when method == HttpMethods.Post:
                var form = request.HasFormContentType ? await ReadFormAsync(request, cancel) : null;
                var parameters = request.Query.Concat(form ?? Enumerable.Empty<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>())
                    .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? "")));
                return await SearchAsync(context, type, parameters, response, audit);
            case [_, "$validate"]:
                audit.Is("operation", AuditEvent.AuditEventAction.E);
                return method == HttpMethods.Post ? await ValidateAsync(context, type) : MethodNotAllowed(method, "$validate", "POST");
            case [_, var id] when method == HttpMethods.Get:
                audit.Is("read", AuditEvent.AuditEventAction.R).Touches($"{type}/{id}");
                return AccessPolicy.Check(caller, type, SmartPermissions.Read) ?? Audited(await resources.ReadAsync(type, id, cancel), audit);
            case [_, var id] when method == HttpMethods.Put:
                audit.Is("update", AuditEvent.AuditEventAction.U).Touches($"{type}/{id}");
                var ifMatch = request.Headers.IfMatch.FirstOrDefault() is { } etag ? TransactionProcessor.ParseETag(etag) : null;
                return AccessPolicy.Check(caller, type, SmartPermissions.Update)
                    ?? await WithBodyAsync(context, async (document, _) => await CheckContentAsync(caller, document.Resource, null, cancel)
                        ?? Audited(await resources.UpdateAsync(type, id, document, ifMatch, cancel), audit, document.Resource));
            case [_, _]:
                return MethodNotAllowed(method, $"{type}/[id]", "GET, PUT");
            case [_, var id, "_history"] when method == HttpMethods.Get:
                audit.Is("history-instance", AuditEvent.AuditEventAction.R).Touches($"{type}/{id}");
                if (AccessPolicy.Check(caller, type, SmartPermissions.Read) is { } denied)
                {
                    return denied;
                }

                var history = await resources.HistoryAsync(type, id, cancel);
                if (history is null)
                {
                    return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no {type}/{id}.");
                }

                AuditPatientsOf(audit, history[0]);
                await response.WriteHistoryAsync(type, id, history);
                return null;
            case [_, var id, "_history", var version] when method == HttpMethods.Get:
                audit.Is("vread", AuditEvent.AuditEventAction.R).Touches($"{type}/{id}");
                return AccessPolicy.Check(caller, type, SmartPermissions.Read) ?? Audited(await resources.ReadVersionAsync(type, id, version, cancel), audit);
            default:
                return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, $"'{path}' is not a FHIR interaction this server supports.");
        }
    }

    /// <summary>A transaction or batch: every entry's interaction is checked against the caller's role and scopes before any is run.</summary>
    private async Task<FhirResult> TransactionAsync(FhirDocument document, ReadOnlyMemory<byte> body, AuditedRequest audit, CancellationToken cancellationToken)
    {
        var bundle = document.Resource as Bundle;
        audit.Is(bundle?.Type == Bundle.BundleType.Batch ? "batch" : "transaction", AuditEvent.AuditEventAction.E);
        if (bundle is not null && bundle.Type is Bundle.BundleType.Transaction or Bundle.BundleType.Batch)
        {
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                var entry = bundle.Entry[i];
                var refusal = AccessPolicy.OfEntry(entry.Request) is var (type, needed) ? AccessPolicy.Check(audit.Caller, type, needed) : null;
                refusal ??= entry.Request?.Method is Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT && entry.Resource is { } resource
                    ? await CheckContentAsync(audit.Caller, resource, bundle, cancellationToken)
                    : null;
                if (refusal is not null)
                {
                    return TransactionProcessor.AtEntry(refusal, i);
                }
            }
        }

        var result = await transactions.ProcessAsync(document, body, PreferHeader.Parse(audit.Context.Request).ReturnRepresentation, cancellationToken);
        return Audited(result, audit);
    }

    /// <summary>What the caller may not write whatever its scopes: another hospital's report, a subscription to another region.</summary>
    private async Task<FhirResult?> CheckContentAsync(Caller caller, Resource resource, Bundle? bundle, CancellationToken cancellationToken) => resource switch
    {
        DiagnosticReport report => await authorship.CheckAsync(caller, report, bundle, cancellationToken),
        Subscription subscription => subscriptionScope.Check(caller, subscription),
        _ => null,
    };

    /// <summary>Notes in the audit record what a result is about: the resource written or read, its patient, a transaction's patients and reports.</summary>
    private static FhirResult Audited(FhirResult result, AuditedRequest audit, Resource? written = null)
    {
        if (result.Version is { } version)
        {
            audit.Touches($"{version.Type}/{version.Id}");
        }

        if (written is not null)
        {
            foreach (var patient in Impress.Fhir.Export.PatientCompartment.Default.PatientsOf(written))
            {
                audit.AboutPatient("Patient/" + patient);
            }
        }
        else if (result.IsSuccess && result.Json is { } json && result.Version is { } read && Impress.Fhir.Export.PatientCompartment.Default.Contains(read.Type))
        {
            foreach (var patient in Impress.Fhir.Export.PatientCompartment.Default.PatientsOf(FhirJsonReader.ReadStored(json.Span)))
            {
                audit.AboutPatient("Patient/" + patient);
            }
        }

        if (result.Resource is Bundle { Type: Bundle.BundleType.TransactionResponse or Bundle.BundleType.BatchResponse } response)
        {
            foreach (var location in response.Entry.Select(e => e.Response?.Location).OfType<string>())
            {
                var parts = location.Split('/');
                if (parts.Length >= 2 && parts[0] is "Patient" or "DiagnosticReport")
                {
                    audit.Touches($"{parts[0]}/{parts[1]}");
                }
            }
        }

        return result;
    }

    private static void AuditPatientsOf(AuditedRequest audit, ResourceVersion version)
    {
        if (!version.IsDeleted && Impress.Fhir.Export.PatientCompartment.Default.Contains(version.Type))
        {
            foreach (var patient in Impress.Fhir.Export.PatientCompartment.Default.PatientsOf(FhirJsonReader.ReadStored(version.Json.Span)))
            {
                audit.AboutPatient("Patient/" + patient);
            }
        }
    }

    private async Task<FhirResult?> SearchAsync(HttpContext context, string type, IEnumerable<KeyValuePair<string, string>> parameters, FhirResponseWriter response, AuditedRequest audit)
    {
        var list = parameters.ToList();
        audit.Is("search-type", AuditEvent.AuditEventAction.E).Queried(type, string.Join("&", list.Select(p => $"{p.Key}={p.Value}")));
        if (AccessPolicy.Check(audit.Caller, type, SmartPermissions.Search) is { } denied)
        {
            return denied;
        }

        var strict = PreferHeader.Parse(context.Request).StrictHandling;
        var (page, parse) = await resources.SearchAsync(type, list, strict, context.RequestAborted);
        if (page is null)
        {
            return parse.Error;
        }

        // Included resources are read: an _include brings in only the types the caller may read (403 when none), a
        // _revinclude needs the right to search its source type.
        var includes = new List<SearchInclude>();
        foreach (var include in parse.Includes)
        {
            var permission = include.Reverse ? SmartPermissions.Search : SmartPermissions.Read;
            var refusals = include.IncludedTypes.Select(t => (Type: t, Refusal: AccessPolicy.Check(audit.Caller, t, permission))).ToList();
            if (refusals.All(r => r.Refusal is not null))
            {
                return refusals[0].Refusal;
            }

            includes.Add(include.Reverse ? include : include with { TargetTypes = [.. refusals.Where(r => r.Refusal is null).Select(r => r.Type)] });
        }

        var includedResources = includes.Count == 0 ? [] : await resources.IncludeAsync(page, includes, context.RequestAborted);
        foreach (var criterion in parse.Query.Criteria)
        {
            foreach (var value in criterion.AnyOf.Select(m => m.Value).OfType<string>().Where(v => v.StartsWith("Patient/", StringComparison.Ordinal)))
            {
                audit.AboutPatient(value);
            }
        }

        foreach (var patient in page.Resources.Concat(includedResources).Where(r => r.Type == "Patient"))
        {
            audit.AboutPatient(patient.Reference);
        }

        await response.WriteSearchsetAsync(type, list, page, includedResources, parse.Ignored);
        return null;
    }

    private async Task<FhirResult> ExportAsync(HttpContext context, Impress.Fhir.Export.ExportLevel level, string? group, FhirResponseWriter response, AuditedRequest audit)
    {
        var request = context.Request;
        audit.Is("operation", AuditEvent.AuditEventAction.E, export: true).Queried("$export", request.QueryString.Value ?? "");
        if (request.Method == HttpMethods.Get)
        {
            return await exports.KickOffAsync(context, audit.Caller, level, group, Query(request), response.BaseUrl);
        }

        if (request.Method != HttpMethods.Post)
        {
            return MethodNotAllowed(request.Method, "$export", "GET, POST");
        }

        return await WithBodyAsync(context, async (document, _) =>
        {
            var (parameters, error) = Export.ExportKickoff.FromParameters(document.Resource);
            return parameters is null ? error! : await exports.KickOffAsync(context, audit.Caller, level, group, Query(request).Concat(parameters), response.BaseUrl);
        });
    }

    /// <summary>The form of a POST search; a form that cannot be read (no boundary, too many values, an unknown charset) is a 400.</summary>
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or FormatException)
        {
            throw new BadRequestException(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Structure,
                "The search form could not be read: send application/x-www-form-urlencoded parameters in UTF-8, at most 1,024 of them."));
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Query(HttpRequest request) =>
        request.Query.Where(q => q.Key != "_format").SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? "")));

    private async Task<FhirResult> ValidateAsync(HttpContext context, string? type) =>
        await WithBodyAsync(context, (document, _) =>
        {
            if (document.Resource is Parameters parameters && type != "Parameters")
            {
                if (parameters.Parameter.FirstOrDefault(p => p.Name == "resource")?.Resource is not { } inner)
                {
                    return Task.FromResult(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required,
                        "The Parameters resource has no 'resource' parameter to validate.", "Parameters.parameter"));
                }

                document = new FhirDocument(inner, document.ParseIssues);
            }

            if (type is not null && document.Resource.TypeName != type)
            {
                return Task.FromResult(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                    $"The body is a {document.Resource.TypeName}, but was sent to {type}/$validate.", "resourceType"));
            }

            return Task.FromResult(new FhirResult { Status = HttpStatusCode.OK, Resource = resources.Validate(document).ToOperationOutcome() });
        }, parseIssuesAreErrors: false);

    private async Task<FhirResult> WithBodyAsync(HttpContext context, Func<FhirDocument, ReadOnlyMemory<byte>, Task<FhirResult>> interaction, bool parseIssuesAreErrors = true)
    {
        using var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var document = body.Document;
        if (parseIssuesAreErrors && document.ParseIssues.Count > 0)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, new Validation.ValidationResult(document.ParseIssues).ToOperationOutcome());
        }

        return await interaction(document, body.Bytes);
    }

    private static FhirResult MethodNotAllowed(string method, string target, string allowed) =>
        FhirResult.Error(HttpStatusCode.MethodNotAllowed, OperationOutcome.IssueType.NotSupported, $"{method} is not supported on {target}; use {allowed}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a {Method} request (trace id {TraceId}) before it was read: {Status}")]
    private static partial void LogRefused(ILogger logger, string method, string traceId, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure handling a {Method} request (trace id {TraceId}): {ExceptionType} {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, string method, string traceId, string? exceptionType, string? stackTrace);
}

/// <summary>Thrown while reading a request to answer it at once with a 4xx.</summary>
public sealed class BadRequestException(FhirResult result) : Exception(result.Outcome?.Issue.FirstOrDefault()?.Details?.Text)
{
    public FhirResult Result { get; } = result;
}
