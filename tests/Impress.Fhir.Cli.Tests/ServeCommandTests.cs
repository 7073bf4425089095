using Impress.Fhir.Cli.Serve;

namespace Impress.Fhir.Cli.Tests;

/// <summary><c>impress serve</c> without tokens serves this machine only.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("impress-serve").FullName;

    [Theory]
    [InlineData("http://0.0.0.0:18080")]
    [InlineData("http://*:18080")]
    [InlineData("http://127.0.0.1:18080;http://+:18081")]
    [InlineData("http://impress.example:18080")]
    public void Without_tokens_it_refuses_to_listen_beyond_loopback(string urls)
    {
        var run = CliRun.Of("serve", "--urls", urls, "--data", _data);

        Assert.Equal(ExitCodes.UnreadableOrUsage, run.ExitCode);
        Assert.Contains("loopback only", run.Error, StringComparison.Ordinal);
        Assert.Contains("Security:Authority", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080;http://[::1]:8081", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("https://10.0.0.5:443", false)]
    public void Loopback_addresses_are_told_from_others(string urls, bool loopback) =>
        Assert.Equal(loopback, ServerHost.NonLoopback(urls) is null);

    [Fact]
    public async Task With_tokens_configured_it_listens_where_it_is_told()
    {
        var jwks = Path.Combine(_data, "jwks.json");
        await File.WriteAllTextAsync(jwks, """{"keys":[]}""");
        await using var app = ServerHost.Build(new ServeSettings("http://0.0.0.0:0", _data, null, "sqlite",
            [$"--Security:JwksFile={jwks}", "--Security:Issuer=https://helseid-sts.test.nhn.no", "--Security:Audience=impress-fhir"]));

        await app.StartAsync();

        Assert.Contains(app.Urls, url => url.StartsWith("http://0.0.0.0:", StringComparison.Ordinal));
        await app.StopAsync();
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
