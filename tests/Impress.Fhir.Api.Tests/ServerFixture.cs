using Hl7.Fhir.Rest;
using Impress.Fhir.Cli.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests;

/// <summary>A real <c>impress serve</c> (Kestrel on a free loopback port, SQLite in a temporary folder) for a test class.</summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "impress-api-tests-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyList<string> _configuration;
    private WebApplication? _app;

    public ServerFixture()
        : this([])
    {
    }

    /// <param name="configuration">Extra configuration, e.g. "--Fhir:MaxBundleEntries=5".</param>
    protected ServerFixture(IReadOnlyList<string> configuration) => _configuration = configuration;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public FhirClient Client() => new(BaseUrl, Http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    public async Task InitializeAsync()
    {
        _app = ServerHost.Build(new ServeSettings("http://127.0.0.1:0", _data, null, "sqlite", _configuration));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/fhir/");
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }
}

/// <summary>A server with small limits, to test them without megabytes of test data.</summary>
public sealed class SmallLimitsServerFixture() : ServerFixture(["--Fhir:MaxBundleEntries=20", "--Fhir:MaxRequestBodyBytes=300000"]);
