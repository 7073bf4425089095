using Hl7.Fhir.Rest;
using Impress.Fhir.Cli.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Benchmarks.Load;

/// <summary><c>impress serve</c> in this process, on a free loopback port and a data folder of its own, removed afterwards.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly string _data;

    private InProcessServer(WebApplication app, string data, HttpClient http)
    {
        App = app;
        _data = data;
        Http = http;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<InProcessServer> StartAsync(string name, params string[] configuration)
    {
        var data = Path.Combine(Path.GetTempPath(), $"impress-{name}-{Guid.NewGuid():N}");
        var app = ServerHost.Build(new ServeSettings("http://127.0.0.1:0", data, null, "sqlite", ["--Logging:LogLevel:Default=Warning", .. configuration]));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessServer(app, data, new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/fhir/") });
    }

    /// <summary>A FhirClient on the server's base, sharing one HttpClient.</summary>
    public FhirClient Client() => new(Http.BaseAddress, Http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
