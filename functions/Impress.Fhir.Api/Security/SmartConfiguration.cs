using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// <c>[base]/.well-known/smart-configuration</c>: where a SMART Backend Services client gets its token (client
/// credentials with a signed JWT assertion, as HelseID issues them) and which scopes the server understands.
/// </summary>
public static class SmartConfiguration
{
    public const string Path = ".well-known/smart-configuration";

    public static async Task WriteAsync(HttpContext context, SecurityOptions options)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        if ((options.Issuer ?? options.Authority) is { } issuer)
        {
            json.WriteString("issuer", issuer);
        }

        if (TokenEndpoint(options) is { } token)
        {
            json.WriteString("token_endpoint", token.ToString());
        }

        WriteArray(json, "grant_types_supported", ["client_credentials"]);
        WriteArray(json, "token_endpoint_auth_methods_supported", ["private_key_jwt"]);
        WriteArray(json, "token_endpoint_auth_signing_alg_values_supported", ["RS256", "RS384", "ES384"]);
        WriteArray(json, "scopes_supported", ["system/*.rs", "system/*.cruds", "system/DiagnosticReport.c", "system/CarePlan.rs", "system/Subscription.crus", "system/Task.u"]);
        WriteArray(json, "capabilities", ["client-confidential-asymmetric", "permission-v1", "permission-v2"]);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>The configured token endpoint, else the authority's (HelseID: /connect/token).</summary>
    public static Uri? TokenEndpoint(SecurityOptions options) =>
        options.TokenEndpoint ?? (Uri.TryCreate(options.Authority?.TrimEnd('/') + "/connect/token", UriKind.Absolute, out var token) ? token : null);

    private static void WriteArray(Utf8JsonWriter json, string name, string[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
