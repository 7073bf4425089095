using System.Collections.Specialized;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Api.Publishing.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Impress.Fhir.Api.Tests.Publishing;

/// <summary>Access tokens for hospital EHRs, with a real HTTP token endpoint (WireMock) and a clock the tests move.</summary>
public sealed class EhrAccessTokensTests : IDisposable
{
    private const string TokenPath = "/connect/token";
    private const string ClientId = "impress client";
    private const string Secret = "s3cr:t/ø+&";
    private const string Scope = "system/CarePlan.cu system/ResearchStudy.cu";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly EhrAccessTokens _tokens;

    public EhrAccessTokensTests()
    {
        _tokens = new EhrAccessTokens(_services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<EhrAccessTokens>.Instance);
    }

    private Uri Endpoint => new($"{_server.Url}{TokenPath}");

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task None_needs_no_token_and_asks_nobody()
    {
        var route = Route(EhrAuthenticationMethod.None);
        Issue("unused");

        Assert.Null(await _tokens.GetAsync(route, default));
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Bearer_sends_the_configured_token()
    {
        var route = Route(EhrAuthenticationMethod.Bearer, a => a.BearerToken = "static-token");

        Assert.Equal("static-token", await _tokens.GetAsync(route, default));
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Bearer_without_a_token_is_a_configuration_error()
    {
        var route = Route(EhrAuthenticationMethod.Bearer);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.False(e.IsTransient);
        Assert.Contains("'Test hospital'", e.Message);
        Assert.Contains("BearerToken", e.Message);
    }

    [Fact]
    public async Task Client_secret_posts_client_credentials_with_basic_authentication()
    {
        Issue("token-1");
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        Assert.Equal("token-1", await _tokens.GetAsync(route, default));

        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", Header(request, "Content-Type"));
        var form = Form(request.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(Scope, form["scope"]);
        Assert.Null(form["client_id"]);
        Assert.Null(form["client_secret"]);
        Assert.DoesNotContain("s3cr", request.Body);

        // RFC 6749 2.3.1: each part form-url-encoded, then "id:secret" in base64.
        var authorization = Header(request, "Authorization");
        Assert.StartsWith("Basic ", authorization);
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        Assert.Equal("impress+client:s3cr%3At%2F%C3%B8%2B%26", credentials);
    }

    [Fact]
    public async Task Scope_is_left_out_when_none_is_configured()
    {
        Issue("token-1");
        var route = Route(EhrAuthenticationMethod.ClientSecret, a => a.Scope = null);

        Assert.Equal("token-1", await _tokens.GetAsync(route, default));

        var form = Form(Assert.Single(_server.LogEntries).RequestMessage.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Null(form["scope"]);
    }

    [Fact]
    public async Task A_token_is_kept_for_the_next_call()
    {
        Issue("token-1");
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));

        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task A_token_is_renewed_when_expires_in_less_the_skew_has_passed()
    {
        Issue("token-1", expiresIn: 120);
        var route = Route(EhrAuthenticationMethod.ClientSecret, a => a.ExpirySkew = TimeSpan.FromSeconds(30));
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        Issue("token-2", expiresIn: 120);

        _time.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        Assert.Single(_server.LogEntries);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await _tokens.GetAsync(route, default));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Without_expires_in_a_token_is_taken_to_live_five_minutes()
    {
        Issue("token-1", expiresIn: null);
        var route = Route(EhrAuthenticationMethod.ClientSecret, a => a.ExpirySkew = TimeSpan.FromSeconds(30));
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        Issue("token-2", expiresIn: null);

        _time.Advance(TimeSpan.FromSeconds(269));
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await _tokens.GetAsync(route, default));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Invalidate_forgets_the_token()
    {
        Issue("token-1");
        var route = Route(EhrAuthenticationMethod.ClientSecret);
        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        Issue("token-2");

        _tokens.Invalidate(route);

        Assert.Equal("token-2", await _tokens.GetAsync(route, default));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Routes_with_other_clients_get_their_own_tokens()
    {
        Issue("token-1");
        var first = Route(EhrAuthenticationMethod.ClientSecret);
        var second = Route(EhrAuthenticationMethod.ClientSecret, a => a.ClientId = "another client");

        await _tokens.GetAsync(first, default);
        await _tokens.GetAsync(second, default);
        await _tokens.GetAsync(first, default);

        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Private_key_jwt_with_RS384_sends_an_assertion_signed_with_the_key()
    {
        using var key = RSA.Create(2048);
        Issue("token-rsa");
        var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a =>
        {
            a.Algorithm = "RS384";
            a.PrivateKeyPem = key.ExportPkcs8PrivateKeyPem();
        });

        Assert.Equal("token-rsa", await _tokens.GetAsync(route, default));

        using var publicKey = RSA.Create(key.ExportParameters(includePrivateParameters: false));
        var assertion = await ValidAssertionAsync(new RsaSecurityKey(publicKey), "RS384");
        Assert.Equal("RS384", assertion.Alg);
    }

    [Fact]
    public async Task Private_key_jwt_with_ES384_reads_the_key_file_and_signs_with_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, key.ExportPkcs8PrivateKeyPem());
            Issue("token-ec");
            var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a =>
            {
                a.Algorithm = "ES384";
                a.PrivateKeyFile = file;
            });

            Assert.Equal("token-ec", await _tokens.GetAsync(route, default));

            using var publicKey = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
            var assertion = await ValidAssertionAsync(new ECDsaSecurityKey(publicKey), "ES384");
            Assert.Equal("ES384", assertion.Alg);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_assertion_has_its_own_jti()
    {
        using var key = RSA.Create(2048);
        Issue("token-rsa");
        var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a => a.PrivateKeyPem = key.ExportRSAPrivateKeyPem());

        await _tokens.GetAsync(route, default);
        _tokens.Invalidate(route);
        await _tokens.GetAsync(route, default);

        var jtis = _server.LogEntries
            .Select(e => new JsonWebToken(Form(e.RequestMessage.Body)["client_assertion"]).Id)
            .ToList();
        Assert.Equal(2, jtis.Count);
        Assert.NotEqual(jtis[0], jtis[1]);
    }

    [Fact]
    public async Task An_EC_key_on_another_curve_is_a_configuration_error()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Issue("unused");
        var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a =>
        {
            a.Algorithm = "ES384";
            a.PrivateKeyPem = key.ExportPkcs8PrivateKeyPem();
        });

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.False(e.IsTransient);
        Assert.Contains("P-384", e.Message);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task An_unreadable_key_is_a_configuration_error_that_does_not_show_the_key()
    {
        Issue("unused");
        var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a => a.PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----");

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.False(e.IsTransient);
        Assert.Contains("PEM", e.Message);
        Assert.DoesNotContain("bm90IGEga2V5", e.Message);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task A_missing_key_file_is_a_configuration_error()
    {
        var route = Route(EhrAuthenticationMethod.PrivateKeyJwt, a => a.PrivateKeyFile = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid()}.pem"));

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.False(e.IsTransient);
        Assert.Contains("PrivateKeyFile", e.Message);
    }

    [Theory]
    [InlineData(EhrAuthenticationMethod.ClientSecret, "ClientId")]
    [InlineData(EhrAuthenticationMethod.PrivateKeyJwt, "TokenEndpoint")]
    public async Task Missing_settings_are_configuration_errors(EhrAuthenticationMethod method, string setting)
    {
        Issue("unused");
        var route = Route(method, a =>
        {
            if (setting == "ClientId")
            {
                a.ClientId = null;
            }
            else
            {
                a.TokenEndpoint = null;
            }
        });

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.False(e.IsTransient);
        Assert.Contains(setting, e.Message);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task A_refused_client_is_not_transient_and_the_message_has_the_oauth_error_but_not_the_secret()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"error":"invalid_client","error_description":"Client authentication failed for {{Secret}}"}"""));
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());

        Assert.False(e.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("invalid_client", e.Message);
        Assert.Contains("Client authentication failed", e.Message);
        Assert.Contains("400", e.Message);
        Assert.Contains("'Test hospital'", e.Message);
        Assert.Contains(TokenPath, e.Message);
        Assert.DoesNotContain(Secret, e.Message);
        Assert.DoesNotContain("s3cr", e.Message);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public async Task Whether_a_refusal_is_transient_follows_the_status(int status, bool transient)
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithBody("<html>busy</html>"));
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());

        Assert.Equal(transient, e.IsTransient);
        Assert.Equal((HttpStatusCode)status, e.StatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.DoesNotContain("busy", e.Message);
    }

    [Fact]
    public async Task A_failure_is_not_kept_the_next_call_asks_again()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        var route = Route(EhrAuthenticationMethod.ClientSecret);
        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());
        Assert.True(e.IsTransient);

        Issue("token-1");

        Assert.Equal("token-1", await _tokens.GetAsync(route, default));
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_transient()
    {
        // Port 1 on loopback: nothing listens there, and no test's server is given it (they take free high ports), so
        // the connection is refused; a stopped server's port may already be another test's.
        var url = new Uri($"http://127.0.0.1:1{TokenPath}");
        var route = Route(EhrAuthenticationMethod.ClientSecret, a => a.TokenEndpoint = url);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());

        Assert.True(e.IsTransient);
        Assert.Null(e.StatusCode);
        Assert.NotNull(e.InnerException);
    }

    [Fact]
    public async Task A_timeout_is_transient()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"access_token":"late"}""").WithDelay(TimeSpan.FromSeconds(2)));
        using var services = new ServiceCollection()
            .AddHttpClient(EhrAccessTokens.HttpClientName, c => c.Timeout = TimeSpan.FromMilliseconds(200)).Services
            .BuildServiceProvider();
        var tokens = new EhrAccessTokens(services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<EhrAccessTokens>.Instance);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => tokens.GetAsync(Route(EhrAuthenticationMethod.ClientSecret), default).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("in time", e.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_failure_of_the_endpoint()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"access_token":"late"}""").WithDelay(TimeSpan.FromSeconds(2)));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _tokens.GetAsync(Route(EhrAuthenticationMethod.ClientSecret), cancellation.Token).AsTask());
    }

    [Fact]
    public async Task An_answer_without_an_access_token_is_not_transient()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"token_type":"Bearer","expires_in":300}"""));
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        var e = await Assert.ThrowsAsync<EhrAuthenticationException>(() => _tokens.GetAsync(route, default).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("access_token", e.Message);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_token_request()
    {
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"shared","token_type":"Bearer","expires_in":300}""").WithDelay(TimeSpan.FromMilliseconds(300)));
        var route = Route(EhrAuthenticationMethod.ClientSecret);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _tokens.GetAsync(route, default).AsTask())));

        Assert.All(tokens, t => Assert.Equal("shared", t));
        Assert.Single(_server.LogEntries);
    }

    /// <summary>Checks the client assertion of the one token request against the public key, and returns it.</summary>
    private async Task<JsonWebToken> ValidAssertionAsync(SecurityKey publicKey, string algorithm)
    {
        var request = Assert.Single(_server.LogEntries).RequestMessage;
        Assert.Null(request.Headers?.Keys.FirstOrDefault(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase)));
        var form = Form(request.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(Scope, form["scope"]);
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        var encoded = form["client_assertion"];
        Assert.NotNull(encoded);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(encoded, new TokenValidationParameters
        {
            IssuerSigningKey = publicKey,
            ValidAlgorithms = [algorithm],
            ValidIssuer = ClientId,
            ValidAudience = Endpoint.AbsoluteUri,

            // The assertion's times are the test clock's, not the machine's.
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= _time.GetUtcNow().UtcDateTime && _time.GetUtcNow().UtcDateTime < expires,
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        var token = Assert.IsType<JsonWebToken>(result.SecurityToken);
        Assert.Equal("impress-2025-1", token.Kid);
        Assert.Equal("JWT", token.Typ);
        Assert.Equal(ClientId, token.Subject);
        Assert.Equal(ClientId, token.Issuer);
        Assert.Equal(Endpoint.AbsoluteUri, Assert.Single(token.Audiences));
        Assert.True(Guid.TryParse(token.Id, out _), $"jti '{token.Id}' is not a GUID");
        Assert.Equal(_time.GetUtcNow().UtcDateTime, token.IssuedAt);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, token.ValidFrom);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(5), token.ValidTo);
        return token;
    }

    private EhrRoute Route(EhrAuthenticationMethod method, Action<EhrAuthenticationOptions>? configure = null)
    {
        var route = new EhrRoute
        {
            Name = "Test hospital",
            FhirBaseUrl = new Uri("https://ehr.example.org/fhir"),
            Authentication = new EhrAuthenticationOptions
            {
                Method = method,
                TokenEndpoint = Endpoint,
                ClientId = ClientId,
                ClientSecret = Secret,
                Scope = Scope,
                KeyId = "impress-2025-1",
            },
        };
        configure?.Invoke(route.Authentication);
        return route;
    }

    /// <summary>From now on the token endpoint issues <paramref name="accessToken"/>.</summary>
    private void Issue(string accessToken, int? expiresIn = 300)
    {
        _server.ResetMappings();
        var body = expiresIn is null
            ? $$"""{"access_token":"{{accessToken}}","token_type":"Bearer"}"""
            : $$"""{"access_token":"{{accessToken}}","token_type":"Bearer","expires_in":{{expiresIn}}}""";
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    private static string Header(WireMock.IRequestMessage request, string name) =>
        request.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value[0];

    private static NameValueCollection Form(string? body) => HttpUtility.ParseQueryString(body ?? "");
}
