using System.Net;

namespace Impress.Fhir.Api.Publishing.Authentication;

/// <summary>
/// No access token for an EHR. The message names the route and the token endpoint, the HTTP status and the OAuth
/// error when there was one; never the secret, the key or a token, so it can go into logs and delivery records.
/// </summary>
public sealed class EhrAuthenticationException(string message, bool isTransient, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>
    /// True when trying again later may succeed (the token endpoint was unreachable, timed out, answered 5xx, 408 or 429);
    /// false when it will not until somebody changes the configuration or the registration at the endpoint.
    /// </summary>
    public bool IsTransient { get; } = isTransient;

    /// <summary>The token endpoint's HTTP status, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
