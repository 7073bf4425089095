using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Publishing.Authentication;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Api.Publishing;

/// <summary>
/// Sends resources to a hospital's EHR as conditional updates by business identifier (PUT [type]?identifier=s|v),
/// so that a resend finds what the first send created instead of duplicating it. Transient failures (5xx, 408, 429
/// honouring Retry-After, timeouts) are retried by the HTTP client's resilience pipeline; a 401 renews the token once.
/// </summary>
public sealed class EhrClient(IHttpClientFactory httpClients, EhrAccessTokens tokens)
{
    public const string HttpClientName = "impress-ehr";

    private static readonly MediaTypeHeaderValue FhirJsonType = new("application/fhir+json") { CharSet = "utf-8" };

    public async Task<EhrResponse> PutAsync(EhrRoute route, string type, Identifier identifier, Resource resource, CancellationToken cancellationToken)
    {
        var baseUrl = route.FhirBaseUrl?.ToString().TrimEnd('/') ?? throw new InvalidOperationException($"The EHR route {route.Name} has no FhirBaseUrl.");
        var url = $"{baseUrl}/{type}?identifier={Uri.EscapeDataString(identifier.System + "|" + identifier.Value)}";
        var body = FhirJson.SerializeToUtf8Bytes(resource);
        var client = httpClients.CreateClient(HttpClientName);
        for (var renewed = false; ; renewed = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = FhirJsonType;
            request.Headers.Accept.ParseAdd("application/fhir+json");
            request.Headers.Add("Prefer", "return=representation");
            if (await tokens.GetAsync(route, cancellationToken) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewed && route.Authentication.Method is EhrAuthenticationMethod.ClientSecret or EhrAuthenticationMethod.PrivateKeyJwt)
            {
                tokens.Invalidate(route); // the token expired early or was revoked: one more try with a new one
                continue;
            }

            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new EhrResponse(response.StatusCode, RetryAfter(response), LocationOf(response, content, type, baseUrl), content);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>Where the resource is at the EHR: the Location header, else the id of the resource returned.</summary>
    private static string? LocationOf(HttpResponseMessage response, byte[] content, string type, string baseUrl)
    {
        if (response.Headers.Location is { } location)
        {
            var text = location.IsAbsoluteUri ? location.ToString() : baseUrl + "/" + location.OriginalString.TrimStart('/');
            var history = text.IndexOf("/_history/", StringComparison.Ordinal);
            return history < 0 ? text : text[..history];
        }

        if (content.Length > 0 && response.IsSuccessStatusCode)
        {
            try
            {
                var returned = FhirJsonReader.Default.Read(content).Resource;
                return returned.Id is { } id && returned.TypeName == type ? $"{baseUrl}/{type}/{id}" : null;
            }
            catch (UnreadableDocumentException)
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>An EHR's answer: status, the Retry-After it asked for, where the resource is, and the body.</summary>
public sealed record EhrResponse(HttpStatusCode Status, TimeSpan? RetryAfter, string? Location, byte[] Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>Worth another attempt later: the EHR is down or busy, not refusing the content.</summary>
    public bool IsTransient => (int)Status >= 500 || Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The OperationOutcome the EHR sent, or one saying what it answered.</summary>
    public OperationOutcome Outcome()
    {
        try
        {
            if (Body.Length > 0 && FhirJsonReader.Default.Read(Body).Resource is OperationOutcome outcome)
            {
                return outcome;
            }
        }
        catch (UnreadableDocumentException)
        {
        }

        return new OperationOutcome
        {
            Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.Exception, Diagnostics = $"The EHR answered {(int)Status} {Status} without an OperationOutcome." }],
        };
    }
}
