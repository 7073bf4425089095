using System.Globalization;
using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Http;

/// <summary>
/// Writes FHIR results as HTTP responses: status, Location, ETag, Last-Modified and a FHIR JSON body. Stored
/// resources are copied into responses and bundles as the JSON the store holds, never parsed and serialized again.
/// </summary>
public sealed class FhirResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly HttpContext _context;

    public FhirResponseWriter(HttpContext context)
    {
        _context = context;
        var options = context.RequestServices.GetRequiredService<FhirServerOptions>();
        var request = context.Request;
        BaseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{options.BasePath.TrimEnd('/')}";
    }

    /// <summary>The absolute FHIR base URL the client used, for Location headers and bundle links.</summary>
    public string BaseUrl { get; }

    public async Task WriteAsync(FhirResult result, PreferHeader prefer)
    {
        await Audit.AuditedRequest.BeforeResponseAsync(_context, result.Status);
        var response = _context.Response;
        response.StatusCode = (int)result.Status;
        foreach (var (name, value) in result.Headers ?? System.Collections.Immutable.ImmutableDictionary<string, string>.Empty)
        {
            response.Headers[name] = value;
        }

        if (result.Version is { } version)
        {
            response.Headers.ETag = version.ETag;
            response.Headers.LastModified = version.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
            if (result.Status == HttpStatusCode.Created)
            {
                response.Headers.Location = $"{BaseUrl}/{version.VersionedReference}";
            }
        }

        if (!result.IsSuccess || !result.IsWrite)
        {
            await WriteBodyAsync(result.Json, result.Resource ?? result.Outcome);
            return;
        }

        switch (prefer.Return)
        {
            case PreferReturn.Minimal:
                return;
            case PreferReturn.OperationOutcome:
                await WriteBodyAsync(null, result.Outcome ?? Outcomes.Information($"{(int)result.Status} {result.Status}: {result.Version?.VersionedReference}"));
                return;
            default:
                await WriteBodyAsync(result.Json, result.Resource);
                return;
        }
    }

    private async Task WriteBodyAsync(ReadOnlyMemory<byte>? json, Resource? resource)
    {
        if (json is null && resource is null)
        {
            return;
        }

        _context.Response.ContentType = ContentNegotiation.FhirJson + "; charset=utf-8";
        var bytes = json ?? FhirJson.SerializeToUtf8Bytes(resource!);
        await _context.Response.Body.WriteAsync(bytes, _context.RequestAborted);
    }

    /// <summary>A searchset page: the matches as stored, with self and next links.</summary>
    public async Task WriteSearchsetAsync(string type, IReadOnlyList<KeyValuePair<string, string>> parameters, SearchPage page, IReadOnlyList<ResourceVersion> included, IReadOnlyList<string> ignored)
    {
        var kept = parameters.Where(p => p.Key != SearchRequestParser.ContinuationParameter).ToList();
        var self = Link(type, kept);
        var next = page.ContinuationToken is { } token ? Link(type, [.. kept, KeyValuePair.Create(SearchRequestParser.ContinuationParameter, token)]) : null;

        await WriteBundleAsync("searchset", writer =>
        {
            writer.WriteStartArray("link");
            WriteLink(writer, "self", self);
            if (next is not null)
            {
                WriteLink(writer, "next", next);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("entry");
            foreach (var (resource, mode) in page.Resources.Select(r => (r, "match")).Concat(included.Select(r => (r, "include"))))
            {
                writer.WriteStartObject();
                writer.WriteString("fullUrl", $"{BaseUrl}/{resource.Reference}");
                writer.WritePropertyName("resource");
                writer.WriteRawValue(resource.Json.Span, skipInputValidation: true);
                writer.WriteStartObject("search");
                writer.WriteString("mode", mode);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (ignored.Count > 0)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("resource");
                writer.WriteRawValue(FhirJson.Serialize(Outcomes.Information(
                    $"Ignored search parameters this server does not support for {type}: {string.Join(", ", ignored)}.")), skipInputValidation: true);
                writer.WriteStartObject("search");
                writer.WriteString("mode", "outcome");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>The instance history: every version, newest first, with the interaction that made it.</summary>
    public Task WriteHistoryAsync(string type, string id, IReadOnlyList<ResourceVersion> versions) =>
        WriteBundleAsync("history", writer =>
        {
            writer.WriteNumber("total", versions.Count);
            writer.WriteStartArray("link");
            WriteLink(writer, "self", $"{BaseUrl}/{type}/{id}/_history");
            writer.WriteEndArray();
            writer.WriteStartArray("entry");
            foreach (var version in versions)
            {
                writer.WriteStartObject();
                writer.WriteString("fullUrl", $"{BaseUrl}/{version.Reference}");
                if (!version.IsDeleted)
                {
                    writer.WritePropertyName("resource");
                    writer.WriteRawValue(version.Json.Span, skipInputValidation: true);
                }

                writer.WriteStartObject("request");
                writer.WriteString("method", version.IsDeleted ? "DELETE" : version.VersionId == 1 ? "POST" : "PUT");
                writer.WriteString("url", version.VersionId == 1 && !version.IsDeleted ? type : version.Reference);
                writer.WriteEndObject();
                writer.WriteStartObject("response");
                writer.WriteString("status", version.IsDeleted ? "204 No Content" : version.VersionId == 1 ? "201 Created" : "200 OK");
                writer.WriteString("etag", $"W/\"{version.VersionId}\"");
                writer.WriteString("lastModified", version.LastUpdated.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    private async Task WriteBundleAsync(string bundleType, Action<Utf8JsonWriter> writeBody)
    {
        await Audit.AuditedRequest.BeforeResponseAsync(_context, HttpStatusCode.OK);
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentNegotiation.FhirJson + "; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("id", Guid.NewGuid().ToString("D"));
            writer.WriteStartObject("meta");
            writer.WriteString("lastUpdated", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteString("type", bundleType);
            writeBody(writer);
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(_context.RequestAborted);
    }

    private string Link(string type, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return query.Length == 0 ? $"{BaseUrl}/{type}" : $"{BaseUrl}/{type}?{query}";
    }

    private static void WriteLink(Utf8JsonWriter writer, string relation, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("relation", relation);
        writer.WriteString("url", url);
        writer.WriteEndObject();
    }
}
