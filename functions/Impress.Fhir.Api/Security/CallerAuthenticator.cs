using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// Finds out who is calling: validates the bearer token with ASP.NET Core's JwtBearer handler (issuer, audience,
/// lifetime, signature from the issuer's keys) and maps its organisation claim to a role. Both hosts call it from
/// the FHIR surface itself, since an Azure Functions app has no ASP.NET Core middleware of its own.
/// </summary>
public sealed class CallerAuthenticator(SecurityOptions options, IServiceScopeFactory scopeFactory)
{
    /// <summary>The authentication scheme the FHIR surface registers its JwtBearer handler under.</summary>
    public const string Scheme = "ImpressBearer";

    /// <summary>The caller, or the 401/403 that answers the request instead.</summary>
    public async Task<(Caller? Caller, FhirResult? Refusal)> AuthenticateAsync(HttpContext context)
    {
        if (!options.RequiresTokens)
        {
            return (Caller.LocalOperator, null);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Unauthorized("The request has no bearer token (Authorization: Bearer ...).", error: null));
        }

        // An authentication handler remembers its first result, and the host may hand the request the root services
        // (a function class called directly does): each request authenticates in a scope of its own.
        AuthenticateResult result;
        var requestServices = context.RequestServices;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            context.RequestServices = scope.ServiceProvider;
            try
            {
                result = await context.AuthenticateAsync(Scheme);
            }
            finally
            {
                context.RequestServices = requestServices;
            }
        }

        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return (null, Unauthorized(Describe(result.Failure), "invalid_token"));
        }

        var organization = principal.FindFirst(options.OrganizationClaim)?.Value;
        if (string.IsNullOrEmpty(organization))
        {
            return (null, AccessPolicy.Forbidden($"The token names no organisation (claim {options.OrganizationClaim})."));
        }

        var clientId = principal.FindFirst(options.ClientIdClaim)?.Value ?? principal.FindFirst("azp")?.Value ?? principal.FindFirst("sub")?.Value ?? "unknown";
        var access = options.Clients.FirstOrDefault(c => c.ClientId == clientId) ?? options.Organizations.GetValueOrDefault(organization);
        if (access is null || !CallerRoles.TryParse(access.Role, out var role))
        {
            return (null, AccessPolicy.Forbidden($"Organisation {organization} has no role on this server."));
        }

        var scopes = SmartScopes.Parse(principal.FindAll("scope").Select(claim => claim.Value), options.ScopePrefix);
        return (new Caller(clientId, organization, role, access.Region, scopes), null);
    }

    /// <summary>Why a token was refused, without quoting it (the messages of IdentityModel may carry its claims).</summary>
    private static string Describe(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this server (audience).",
        SecurityTokenInvalidIssuerException => "The token comes from an issuer this server does not trust.",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key the issuer does not publish.",
        SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm this server does not accept.",
        SecurityTokenInvalidSignatureException => "The token's signature is not valid.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a JWT.",
        _ => "The bearer token is not valid.",
    };

    private static FhirResult Unauthorized(string message, string? error) =>
        FhirResult.Error(HttpStatusCode.Unauthorized, OperationOutcome.IssueType.Login, message) with
        {
            Headers = new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = error is null
                    ? "Bearer realm=\"impress\""
                    : $"Bearer realm=\"impress\", error=\"{error}\", error_description=\"{message}\"",
            },
        };
}
