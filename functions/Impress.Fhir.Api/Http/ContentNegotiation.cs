using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Impress.Fhir.Api.Http;

/// <summary>The server speaks FHIR JSON only; XML and other formats are refused with a clear outcome.</summary>
public static class ContentNegotiation
{
    public const string FhirJson = "application/fhir+json";

    private static readonly string[] JsonMediaTypes = [FhirJson, "application/json", "application/json+fhir", "text/json"];

    public static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && JsonMediaTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>An error when _format or Accept asks for something other than JSON; null when JSON is acceptable.</summary>
    public static FhirResult? Check(HttpRequest request)
    {
        if (request.Query["_format"].FirstOrDefault() is { Length: > 0 } format && !(format is "json" || IsJson(format)))
        {
            return FhirResult.Error(HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, $"_format '{format}' is not supported; this server speaks FHIR JSON.", "_format");
        }

        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0 || !MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return null;
        }

        var acceptsJson = accepted.Any(a => a.MediaType.Value is "*/*" or "application/*" || JsonMediaTypes.Contains(a.MediaType.Value, StringComparer.OrdinalIgnoreCase));
        return acceptsJson ? null
            : FhirResult.Error(HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, $"Accept '{accept}' names no format this server produces; it speaks {FhirJson}.");
    }
}
