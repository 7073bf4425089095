using Hl7.Fhir.Rest;
using Impress.Fhir.Cli.Serve;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests;

/// <summary>A real <c>impress serve</c> (Kestrel on a free loopback port, SQLite in a temporary folder) for a test class.</summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly string _data;
    private readonly bool _ownsData;
    private readonly IReadOnlyList<string> _configuration;
    private WebApplication? _app;

    public ServerFixture()
        : this([])
    {
    }

    /// <param name="configuration">Extra configuration, e.g. "--Fhir:MaxBundleEntries=5".</param>
    /// <param name="dataDirectory">The data folder to serve (kept after disposal), or null for a temporary one of its own.</param>
    protected ServerFixture(IReadOnlyList<string> configuration, string? dataDirectory = null)
    {
        _configuration = configuration;
        _ownsData = dataDirectory is null;
        _data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "impress-api-tests-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The server's services, for what a test must see beyond HTTP (the outbox worker).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>"sqlite" or "azure".</summary>
    protected virtual string Store => "sqlite";

    /// <summary>Configuration worked out before the server starts: the store's, a token issuer's.</summary>
    protected virtual Task<IReadOnlyList<string>> ConfigurationBeforeStartAsync() => Task.FromResult<IReadOnlyList<string>>([]);

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>
    /// Waits until the pipeline has nothing left to do: every stage queue is empty (a message leaves its queue only
    /// once its stage has finished, and the next stage's messages are queued before that).
    /// </summary>
    public async Task PipelineIdleAsync(double seconds = 30)
    {
        var queue = Services.GetRequiredService<IStageQueue>();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var pending = 0;
            foreach (var name in StageQueues.All)
            {
                pending += await queue.CountAsync(name);
            }

            if (pending == 0)
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The pipeline still has {pending} messages queued after {seconds} s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Changes to the server's host before it is built (a log provider that keeps what the server logs).</summary>
    protected virtual void ConfigureHost(WebApplicationBuilder builder)
    {
    }

    public FhirClient Client() => new(BaseUrl, Http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    public virtual async Task InitializeAsync()
    {
        _app = ServerHost.Build(new ServeSettings("http://127.0.0.1:0", _data, null, Store, [.. _configuration, .. await ConfigurationBeforeStartAsync()]), ConfigureHost);
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

        if (_ownsData && Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }

        await DisposeDependenciesAsync();
    }

    protected virtual Task DisposeDependenciesAsync() => Task.CompletedTask;
}

/// <summary><c>impress serve --store azure</c> over an Azurite of its own.</summary>
public sealed class AzureServerFixture : ServerFixture
{
    private Azurite? _azurite;

    protected override string Store => "azure";

    protected override async Task<IReadOnlyList<string>> ConfigurationBeforeStartAsync()
    {
        _azurite = await Azurite.StartAsync();
        return [$"--Storage:Azure:ConnectionString={_azurite.ConnectionString}"];
    }

    protected override async Task DisposeDependenciesAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

/// <summary>A server with small limits, to test them without megabytes of test data.</summary>
public sealed class SmallLimitsServerFixture() : ServerFixture(["--Fhir:MaxBundleEntries=20", "--Fhir:MaxRequestBodyBytes=300000", "--Fhir:MaxStringBytes=1000"]);
