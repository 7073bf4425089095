using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Capabilities;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
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
    ILogger<FhirHttpHandler> logger)
{
    /// <summary>Handles one request; <paramref name="path"/> is the part after the FHIR base ("Patient/1", "" for the base).</summary>
    public async Task HandleAsync(HttpContext context, string? path)
    {
        var response = new FhirResponseWriter(context);
        try
        {
            var result = await DispatchAsync(context, (path ?? "").Trim('/'), response);
            if (result is not null)
            {
                await response.WriteAsync(result, PreferHeader.Parse(context.Request));
            }
        }
        catch (BadRequestException bad)
        {
            await response.WriteAsync(bad.Result, PreferHeader.Default);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e)
        {
            // The message may quote request content, so only the exception's type and stack are logged.
            LogUnexpected(logger, context.Request.Method, context.TraceIdentifier, e.GetType().FullName, e.StackTrace);
            if (!context.Response.HasStarted)
            {
                await response.WriteAsync(FhirResult.Error(HttpStatusCode.InternalServerError, OperationOutcome.IssueType.Exception,
                    $"The server failed to process the request (trace id {context.TraceIdentifier})."), PreferHeader.Default);
            }
        }
    }

    private async Task<FhirResult?> DispatchAsync(HttpContext context, string path, FhirResponseWriter response)
    {
        var request = context.Request;
        var cancel = context.RequestAborted;
        var segments = path.Length == 0 ? [] : path.Split('/');
        var method = request.Method;

        // Export files are NDJSON and the manifest plain JSON, whatever the client accepts.
        switch (segments)
        {
            case [Export.ExportOperations.StatusSegment, var job] when method == HttpMethods.Get:
                return await exports.StatusAsync(context, job, response.BaseUrl);
            case [Export.ExportOperations.StatusSegment, var job] when method == HttpMethods.Delete:
                return await exports.CancelAsync(job, cancel);
            case [Export.ExportOperations.StatusSegment, _]:
                return MethodNotAllowed(method, "an export's status", "GET, DELETE");
            case [Export.ExportOperations.StatusSegment, var job, var file] when method == HttpMethods.Get:
                return await exports.DownloadAsync(context, job, file);
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
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.System, null, response);
            case ["Patient", "$export"]:
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.Patient, null, response);
            case ["Group", var group, "$export"]:
                return await ExportAsync(context, Impress.Fhir.Export.ExportLevel.Group, group, response);
        }
        switch (segments)
        {
            case []:
                return method == HttpMethods.Post
                    ? await WithBodyAsync(context, (document, body) => transactions.ProcessAsync(document, body, PreferHeader.Parse(request).ReturnRepresentation, cancel))
                    : MethodNotAllowed(method, "the base URL", "POST (transaction or batch)");
            case ["metadata"]:
                return method == HttpMethods.Get
                    ? new FhirResult { Status = HttpStatusCode.OK, Resource = capabilities.Create(response.BaseUrl) }
                    : MethodNotAllowed(method, "metadata", "GET");
            case ["$validate"]:
                return method == HttpMethods.Post ? await ValidateAsync(context, null) : MethodNotAllowed(method, "$validate", "POST");
            case ["$" + MatchOperation.Name]:
                return method == HttpMethods.Post
                    ? await WithBodyAsync(context, (document, _) => match.ExecuteAsync(document.Resource, cancel))
                    : MethodNotAllowed(method, "$" + MatchOperation.Name, "POST");
            case ["$" + Tso500ImportOperation.Name]:
                return method == HttpMethods.Post
                    ? await WithBodyAsync(context, (document, _) => tso500Import.ExecuteAsync(document.Resource, PreferHeader.Parse(request).ReturnRepresentation, cancel))
                    : MethodNotAllowed(method, "$" + Tso500ImportOperation.Name, "POST");
        }

        switch (segments)
        {
            case ["Subscription", var id, "$status"]:
                return method is "GET" or "POST" ? await subscriptions.StatusAsync(id, cancel) : MethodNotAllowed(method, "$status", "GET, POST");
            case ["Subscription", var id, "$events"]:
                return method is "GET" or "POST" ? await subscriptions.EventsAsync(id, request.Query, cancel) : MethodNotAllowed(method, "$events", "GET, POST");
            case ["Basic"] when method == HttpMethods.Get:
                return subscriptions.Topics(response.BaseUrl);
            case ["Basic", var code] when method == HttpMethods.Get:
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
                return await SearchAsync(context, type, request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))), response);
            case [_] when method == HttpMethods.Post:
                return await WithBodyAsync(context, (document, _) => resources.CreateAsync(type, document, request.Headers["If-None-Exist"].FirstOrDefault(), cancel));
            case [_] when method == HttpMethods.Put && request.QueryString.HasValue:
                return await WithBodyAsync(context, (document, _) => resources.ConditionalUpdateAsync(type, FhirQuery.Parse(request.QueryString.Value!), document, cancel));
            case [_]:
                return MethodNotAllowed(method, type, "GET, POST, PUT with search criteria");
            case [_, "_search"] when method == HttpMethods.Post:
                var form = request.HasFormContentType ? await request.ReadFormAsync(cancel) : null;
                var parameters = request.Query.Concat(form ?? Enumerable.Empty<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>())
                    .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? "")));
                return await SearchAsync(context, type, parameters, response);
            case [_, "$validate"]:
                return method == HttpMethods.Post ? await ValidateAsync(context, type) : MethodNotAllowed(method, "$validate", "POST");
            case [_, var id] when method == HttpMethods.Get:
                return await resources.ReadAsync(type, id, cancel);
            case [_, var id] when method == HttpMethods.Put:
                var ifMatch = request.Headers.IfMatch.FirstOrDefault() is { } etag ? TransactionProcessor.ParseETag(etag) : null;
                return await WithBodyAsync(context, (document, _) => resources.UpdateAsync(type, id, document, ifMatch, cancel));
            case [_, _]:
                return MethodNotAllowed(method, $"{type}/[id]", "GET, PUT");
            case [_, var id, "_history"] when method == HttpMethods.Get:
                var history = await resources.HistoryAsync(type, id, cancel);
                if (history is null)
                {
                    return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no {type}/{id}.");
                }

                await response.WriteHistoryAsync(type, id, history);
                return null;
            case [_, var id, "_history", var version] when method == HttpMethods.Get:
                return await resources.ReadVersionAsync(type, id, version, cancel);
            default:
                return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, $"'{path}' is not a FHIR interaction this server supports.");
        }
    }

    private async Task<FhirResult?> SearchAsync(HttpContext context, string type, IEnumerable<KeyValuePair<string, string>> parameters, FhirResponseWriter response)
    {
        var list = parameters.ToList();
        var strict = PreferHeader.Parse(context.Request).StrictHandling;
        var (page, parse) = await resources.SearchAsync(type, list, strict, context.RequestAborted);
        if (page is null)
        {
            return parse.Error;
        }

        await response.WriteSearchsetAsync(type, list, page, parse.Ignored);
        return null;
    }

    private async Task<FhirResult> ExportAsync(HttpContext context, Impress.Fhir.Export.ExportLevel level, string? group, FhirResponseWriter response)
    {
        var request = context.Request;
        if (request.Method == HttpMethods.Get)
        {
            return await exports.KickOffAsync(context, level, group, Query(request), response.BaseUrl);
        }

        if (request.Method != HttpMethods.Post)
        {
            return MethodNotAllowed(request.Method, "$export", "GET, POST");
        }

        return await WithBodyAsync(context, async (document, _) =>
        {
            var (parameters, error) = Export.ExportKickoff.FromParameters(document.Resource);
            return parameters is null ? error! : await exports.KickOffAsync(context, level, group, Query(request).Concat(parameters), response.BaseUrl);
        });
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
        var (body, document) = await reader.ReadAsync(context.Request, context.RequestAborted);
        if (parseIssuesAreErrors && document.ParseIssues.Count > 0)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, new Validation.ValidationResult(document.ParseIssues).ToOperationOutcome());
        }

        return await interaction(document, body);
    }

    private static FhirResult MethodNotAllowed(string method, string target, string allowed) =>
        FhirResult.Error(HttpStatusCode.MethodNotAllowed, OperationOutcome.IssueType.NotSupported, $"{method} is not supported on {target}; use {allowed}.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure handling a {Method} request (trace id {TraceId}): {ExceptionType} {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, string method, string traceId, string? exceptionType, string? stackTrace);
}

/// <summary>Thrown while reading a request to answer it at once with a 4xx.</summary>
public sealed class BadRequestException(FhirResult result) : Exception(result.Outcome?.Issue.FirstOrDefault()?.Details?.Text)
{
    public FhirResult Result { get; } = result;
}
