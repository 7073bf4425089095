using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Impress.Fhir.Api.Publishing.Authentication;

/// <summary>
/// The access tokens the server sends to hospital EHRs: a configured static token, or one from the EHR's OAuth2
/// token endpoint by the client credentials grant, the client authenticating with a secret (HTTP Basic) or with a
/// signed JWT (SMART Backend Services, HelseID). A token is kept until shortly before it expires, so a burst of
/// deliveries to one hospital asks its token endpoint once.
/// </summary>
public sealed partial class EhrAccessTokens(IHttpClientFactory httpClients, TimeProvider time, ILogger<EhrAccessTokens> logger)
{
    /// <summary>The name of the HTTP client that calls token endpoints (configure its timeout and resilience under it).</summary>
    public const string HttpClientName = "impress-ehr-token";

    /// <summary>The lifetime assumed when the token endpoint does not say (RFC 6749 makes expires_in optional).</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(300);

    /// <summary>How long a client assertion is valid: SMART Backend Services allows at most five minutes.</summary>
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(5);

    private const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ConcurrentDictionary<CacheKey, Slot> _slots = new();

    /// <summary>
    /// The bearer token to send to <paramref name="route"/>'s EHR, or null when the EHR takes requests without one.
    /// </summary>
    /// <exception cref="EhrAuthenticationException">No token: see <see cref="EhrAuthenticationException.IsTransient"/>.</exception>
    public async ValueTask<string?> GetAsync(EhrRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var auth = route.Authentication;
        switch (auth.Method)
        {
            case EhrAuthenticationMethod.None:
                return null;
            case EhrAuthenticationMethod.Bearer:
                return string.IsNullOrWhiteSpace(auth.BearerToken)
                    ? throw Misconfigured(route, "the authentication method Bearer needs a BearerToken")
                    : auth.BearerToken;
            case EhrAuthenticationMethod.ClientSecret or EhrAuthenticationMethod.PrivateKeyJwt:
                break;
            default:
                throw Misconfigured(route, $"the authentication method {auth.Method} is not known");
        }

        var endpoint = auth.TokenEndpoint ?? throw Misconfigured(route, $"the authentication method {auth.Method} needs a TokenEndpoint");
        if (!endpoint.IsAbsoluteUri)
        {
            throw Misconfigured(route, "the TokenEndpoint must be an absolute URL");
        }

        var clientId = string.IsNullOrWhiteSpace(auth.ClientId)
            ? throw Misconfigured(route, $"the authentication method {auth.Method} needs a ClientId")
            : auth.ClientId;

        var slot = _slots.GetOrAdd(new CacheKey(endpoint.AbsoluteUri, clientId, auth.Scope ?? ""), static _ => new Slot());
        if (Fresh(slot.Token) is { } cached)
        {
            return cached;
        }

        // One request per route at a time: the callers that waited take the token the first one got.
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(slot.Token) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var token = await RequestAsync(route, endpoint, clientId, cancellationToken);
            slot.Token = token;
            return token.AccessToken;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>
    /// Forgets the token kept for <paramref name="route"/>, so that the next <see cref="GetAsync"/> asks for a new one:
    /// for when the EHR answered 401 to a token that had not expired yet (revoked, or the EHR restarted with new keys).
    /// </summary>
    public void Invalidate(EhrRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var auth = route.Authentication;
        if (auth.TokenEndpoint is { IsAbsoluteUri: true } endpoint && !string.IsNullOrWhiteSpace(auth.ClientId)
            && _slots.TryGetValue(new CacheKey(endpoint.AbsoluteUri, auth.ClientId, auth.Scope ?? ""), out var slot))
        {
            slot.Token = null;
            LogInvalidated(logger, route.Name);
        }
    }

    private string? Fresh(CachedToken? token) => token is not null && time.GetUtcNow() < token.RenewAt ? token.AccessToken : null;

    private async Task<CachedToken> RequestAsync(EhrRoute route, Uri endpoint, string clientId, CancellationToken cancellationToken)
    {
        var auth = route.Authentication;
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(auth.Scope))
        {
            form.Add(new("scope", auth.Scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string? secret = null;
        if (auth.Method == EhrAuthenticationMethod.ClientSecret)
        {
            secret = string.IsNullOrEmpty(auth.ClientSecret)
                ? throw Misconfigured(route, "the authentication method ClientSecret needs a ClientSecret")
                : auth.ClientSecret;

            // RFC 6749 2.3.1: both parts form-url-encoded before they are joined and base64-encoded.
            var credentials = Encoding.UTF8.GetBytes($"{FormEncode(clientId)}:{FormEncode(secret)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        }
        else
        {
            form.Add(new("client_assertion_type", JwtBearerAssertionType));
            form.Add(new("client_assertion", ClientAssertion(route, endpoint, clientId)));
        }

        request.Content = new FormUrlEncodedContent(form);

        // The lifetime counts from before the request: the endpoint's clock started while the request was under way.
        var requestedAt = time.GetUtcNow();
        LogRequesting(logger, route.Name, Describe(endpoint));
        HttpStatusCode status;
        string body;
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not Polly.ExecutionRejectedException)
        {
            // A refused or dropped connection surfaces as HttpRequestException, IOException or SocketException,
            // depending on when the socket failed: all of them mean the endpoint may answer later.
            throw Failed(route, endpoint, $"could not be reached ({e.Message})", true, null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(route, endpoint, "did not answer in time", true, null, e);
        }
        catch (Polly.ExecutionRejectedException e)
        {
            // A resilience pipeline on the HTTP client gave up (timeout, open circuit): the endpoint may come back.
            throw Failed(route, endpoint, $"was not called ({e.Message})", true, null, e);
        }

        if ((int)status is < 200 or > 299)
        {
            var transient = (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            var (error, description) = OAuthError(body, secret);
            LogRefused(logger, route.Name, (int)status, error ?? "");
            var detail = error is null ? "" : description is null ? $": {error}" : $": {error}: {description}";
            throw Failed(route, endpoint, $"answered {(int)status} ({status}){detail}", transient, status);
        }

        var (accessToken, tokenType, expiresIn) = ParseToken(body);
        if (string.IsNullOrEmpty(accessToken))
        {
            throw Failed(route, endpoint, $"answered {(int)status} without an access_token", false, status);
        }

        if (tokenType is not null && !tokenType.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            // A DPoP or MAC token sent as a bearer token would only earn a 401 from the EHR, with a less clear reason.
            throw Failed(route, endpoint, $"issued a token of type '{Truncate(tokenType, 40)}', not a bearer token", false, status);
        }

        var lifetime = expiresIn ?? DefaultLifetime;
        var skew = auth.ExpirySkew < TimeSpan.Zero ? TimeSpan.Zero : auth.ExpirySkew;

        // A token that lives shorter than the skew is still good for a while: renewing it at every call would hammer the endpoint.
        var kept = lifetime - skew > lifetime / 2 ? lifetime - skew : lifetime / 2;
        LogObtained(logger, route.Name, (int)lifetime.TotalSeconds);
        return new CachedToken(accessToken, requestedAt + kept);
    }

    /// <summary>
    /// The JWT the client authenticates with (RFC 7523, as SMART Backend Services and HelseID profile it): signed with
    /// the configured private key, issued by and about the client, for the token endpoint, valid for five minutes, with
    /// a fresh jti so that the endpoint can refuse a replay.
    /// </summary>
    private string ClientAssertion(EhrRoute route, Uri endpoint, string clientId)
    {
        var auth = route.Authentication;
        var algorithm = auth.Algorithm?.Trim().ToUpperInvariant() switch
        {
            null or "" or SecurityAlgorithms.RsaSha384 => SecurityAlgorithms.RsaSha384,
            SecurityAlgorithms.EcdsaSha384 => SecurityAlgorithms.EcdsaSha384,
            _ => throw Misconfigured(route, $"the Algorithm must be {SecurityAlgorithms.RsaSha384} or {SecurityAlgorithms.EcdsaSha384}"),
        };

        var pem = ReadPem(route);
        using AsymmetricAlgorithm key = algorithm == SecurityAlgorithms.RsaSha384 ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var kind = algorithm == SecurityAlgorithms.RsaSha384 ? "an RSA" : "an EC";
            throw Misconfigured(route, $"the private key is not {kind} private key in PEM (unencrypted PKCS#8, PKCS#1 or SEC1) as {algorithm} needs", e);
        }

        SecurityKey securityKey = key switch
        {
            RSA rsa when rsa.KeySize < 2048 => throw Misconfigured(route, $"the RSA key has {rsa.KeySize} bits; {algorithm} needs at least 2048"),
            RSA rsa => new RsaSecurityKey(rsa),
            ECDsa ec when ec.KeySize != 384 => throw Misconfigured(route, $"the EC key is on a {ec.KeySize}-bit curve; {algorithm} needs P-384"),
            ECDsa ec => new ECDsaSecurityKey(ec),
            _ => throw new InvalidOperationException("Unreachable: the key is RSA or ECDsa."),
        };

        securityKey.KeyId = string.IsNullOrWhiteSpace(auth.KeyId) ? null : auth.KeyId;

        // Not the shared cache of signature providers: it would keep this key after the using above disposed it, and
        // hand the disposed key to the next assertion signed with the same key.
        securityKey.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };

        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = "JWT",
            Issuer = clientId,
            Audience = endpoint.AbsoluteUri,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + AssertionLifetime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = new SigningCredentials(securityKey, algorithm),
        };

        try
        {
            return new JsonWebTokenHandler().CreateToken(descriptor);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or SecurityTokenException or NotSupportedException)
        {
            throw Misconfigured(route, $"the client assertion could not be signed with the private key ({e.GetType().Name})", e);
        }
    }

    private static string ReadPem(EhrRoute route)
    {
        var auth = route.Authentication;
        if (!string.IsNullOrWhiteSpace(auth.PrivateKeyPem))
        {
            return auth.PrivateKeyPem;
        }

        if (string.IsNullOrWhiteSpace(auth.PrivateKeyFile))
        {
            throw Misconfigured(route, "the authentication method PrivateKeyJwt needs a PrivateKeyPem or a PrivateKeyFile");
        }

        try
        {
            // Read at every token request: a key replaced on disk is used from the next token on.
            return File.ReadAllText(auth.PrivateKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Misconfigured(route, $"the PrivateKeyFile {auth.PrivateKeyFile} could not be read ({e.GetType().Name})", e);
        }
    }

    private static (string? AccessToken, string? TokenType, TimeSpan? ExpiresIn) ParseToken(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var root = json.RootElement;
            var accessToken = root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            var tokenType = root.TryGetProperty("token_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            double? seconds = root.TryGetProperty("expires_in", out var e)
                ? e.ValueKind switch
                {
                    JsonValueKind.Number when e.TryGetDouble(out var n) => n,

                    // Some servers send the number as a string.
                    JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
                    _ => null,
                }
                : null;
            TimeSpan? expiresIn = seconds is { } s && double.IsFinite(s) ? TimeSpan.FromSeconds(Math.Clamp(s, 0, TimeSpan.FromDays(1).TotalSeconds)) : null;
            return (accessToken, tokenType, expiresIn);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>The OAuth error (RFC 6749 5.2) in a refusal, if its body is one; the secret blanked should the endpoint echo it.</summary>
    private static (string? Error, string? Description) OAuthError(string body, string? secret)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? Field(string name) =>
                json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                    ? Clean(value.GetString()!, secret)
                    : null;

            return (Field("error"), Field("error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Clean(string text, string? secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return Truncate(new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]), 300);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>The endpoint for messages: without user info or query, which have no business there.</summary>
    private static string Describe(Uri endpoint) => $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}";

    private static EhrAuthenticationException Misconfigured(EhrRoute route, string problem, Exception? inner = null) =>
        new($"EHR '{route.Name}': no access token, {problem}.", false, null, inner);

    private static EhrAuthenticationException Failed(EhrRoute route, Uri endpoint, string what, bool transient, HttpStatusCode? status, Exception? inner = null) =>
        new($"EHR '{route.Name}': the token endpoint {Describe(endpoint)} {what}.", transient, status, inner);

    private readonly record struct CacheKey(string TokenEndpoint, string ClientId, string Scope);

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CachedToken? Token { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Requesting an access token for EHR {Route} from {TokenEndpoint}.")]
    private static partial void LogRequesting(ILogger logger, string route, string tokenEndpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token for EHR {Route} obtained, valid for {Seconds} s.")]
    private static partial void LogObtained(ILogger logger, string route, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The token endpoint of EHR {Route} refused: HTTP {Status} {Error}.")]
    private static partial void LogRefused(ILogger logger, string route, int status, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token for EHR {Route} forgotten: the EHR refused it.")]
    private static partial void LogInvalidated(ILogger logger, string route);
}
