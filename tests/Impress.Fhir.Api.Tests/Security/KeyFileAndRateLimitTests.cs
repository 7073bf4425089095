using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>
/// A server of a closed network: the issuer's keys are a JWKS file (Security:JwksFile), its metadata is never
/// fetched. Clients are held to 5 requests at once and 1 a second after that.
/// </summary>
public sealed class KeyFileServerFixture : ServerFixture
{
    private readonly string _jwks = Path.Combine(Path.GetTempPath(), $"impress-jwks-{Guid.NewGuid():N}.json");

    public KeyFileServerFixture()
        : base([.. Organizations.Configuration, "--Security:RateLimit:Burst=5", "--Security:RateLimit:PerSecond=1"])
    {
    }

    public TokenIssuer Issuer { get; } = new();

    public HttpClient As(string clientId, string organization = Organizations.MolMdt, Microsoft.IdentityModel.Tokens.SecurityKey? key = null)
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Token(clientId, organization, "system/*.rs", key: key));
        return http;
    }

    protected override async Task<IReadOnlyList<string>> ConfigurationBeforeStartAsync()
    {
        await File.WriteAllTextAsync(_jwks, Issuer.Jwks);
        return [$"--Security:JwksFile={_jwks}", $"--Security:Issuer={Issuer.Issuer}", $"--Security:Audience={TokenIssuer.Audience}"];
    }

    protected override Task DisposeDependenciesAsync()
    {
        Issuer.Dispose();
        File.Delete(_jwks);
        return Task.CompletedTask;
    }
}

public sealed class KeyFileAndRateLimitTests(KeyFileServerFixture server) : IClassFixture<KeyFileServerFixture>
{
    [Fact]
    public async Task Tokens_are_checked_against_the_key_file_without_asking_the_issuer()
    {
        using var valid = server.As("key-file-valid");
        using var rogue = server.As("key-file-rogue", key: server.Issuer.RogueKey);

        using var accepted = await valid.GetAsync("Patient");
        using var refused = await rogue.GetAsync("Patient");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, server.Issuer.MetadataRequests);
    }

    [Fact]
    public async Task A_client_over_its_rate_is_429_with_retry_after_and_other_clients_go_on()
    {
        using var busy = server.As("rate-busy");
        using var quiet = server.As("rate-quiet");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await busy.GetAsync("ResearchStudy?_count=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled ??= response;
            }
        }

        using var other = await quiet.GetAsync("ResearchStudy?_count=1");

        Assert.True(statuses.Take(5).All(s => s == HttpStatusCode.OK), string.Join(", ", statuses));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(5));
        Assert.NotNull(throttled);
        Assert.True(throttled.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(await throttled.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Equal(OperationOutcome.IssueType.Throttled, outcome.Issue[0].Code);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
