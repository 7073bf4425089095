using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Impress.Fhir.Testing;

/// <summary>
/// An OAuth2 authorization server standing in for HelseID on a real loopback HTTP server (WireMock.Net): it
/// publishes its OpenID configuration and JWKS, and mints access tokens signed with a key generated for the test
/// run, with the claims HelseID gives a client (client_id, the organisation number, scopes).
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Audience = "impress-fhir";
    public const string OrganizationClaim = "helseid://claims/client/claims/orgnr_parent";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _rogue = RSA.Create(2048);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenIssuer()
    {
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = "impress-test-key" };
        RogueKey = new RsaSecurityKey(_rogue) { KeyId = "impress-test-key-2" };
        _server.Given(Request.Create().WithPath("/.well-known/openid-configuration").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = Issuer + "/jwks",
                ["token_endpoint"] = Issuer + "/connect/token",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            })));
        _server.Given(Request.Create().WithPath("/jwks").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(Jwks));
    }

    /// <summary>The issuer URL, as HelseID's would be configured in Security:Authority.</summary>
    public string Issuer => _server.Url!;

    /// <summary>The key the issuer publishes and signs with.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>A key of the right kind that the issuer never published.</summary>
    public RsaSecurityKey RogueKey { get; }

    /// <summary>The issuer's public key set (RFC 7517), as served at jwks_uri; for a JWKS file too.</summary>
    public string Jwks
    {
        get
        {
            var key = _rsa.ExportParameters(includePrivateParameters: false);
            return JsonSerializer.Serialize(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", alg = "RS256", kid = SigningKey.KeyId, n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) },
                },
            });
        }
    }

    /// <summary>How many times the server fetched the issuer's metadata or keys.</summary>
    public int MetadataRequests => _server.LogEntries.Count();

    /// <summary>An access token as HelseID would issue it to a client of <paramref name="organization"/>.</summary>
    public string Token(
        string clientId,
        string? organization,
        string scopes,
        TimeSpan? lifetime = null,
        string audience = Audience,
        string? issuer = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["client_id"] = clientId,
            ["scope"] = scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (organization is not null)
        {
            claims[OrganizationClaim] = organization;
        }

        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Claims = claims,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        });
    }

    /// <summary>The same claims, unsigned ("alg": "none"), as an attacker would send them.</summary>
    public string Unsigned(string clientId, string organization, string scopes)
    {
        static string Encode(object value) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" });
        var payload = Encode(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["exp"] = now + 300,
            ["nbf"] = now,
            ["client_id"] = clientId,
            [OrganizationClaim] = organization,
            ["scope"] = scopes.Split(' '),
        });
        return $"{header}.{payload}.";
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        _rsa.Dispose();
        _rogue.Dispose();
    }
}
