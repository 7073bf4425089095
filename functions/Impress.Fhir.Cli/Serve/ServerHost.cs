using Impress.Fhir.Api;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Api.Subscriptions;
using Impress.Fhir.Storage.Azure;
using Impress.Fhir.Storage.Sqlite;
using Impress.Fhir.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Impress.Fhir.Cli.Serve;

/// <summary>
/// <c>impress serve</c>: the FHIR surface on Kestrel over the embedded store, in one process. Configuration comes
/// from appsettings.json beside the program, IMPRESS_-prefixed environment variables and the command line, as in any
/// ASP.NET Core application.
/// </summary>
public static class ServerHost
{
    /// <param name="settings">What the command line asked for.</param>
    /// <param name="configure">Changes a host that embeds the server makes before it is built (more log providers, say).</param>
    public static WebApplication Build(ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. settings.Configuration],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // On a laptop or in a test the example catalog is what matching needs; a site with its own catalog sets
        // Matching:SeedCatalog to its file, or to empty to start without one.
        // On the embedded store this process is the only one: it hears of its own catalog changes at once.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Matching:SeedCatalog"] = "example",
                ["Matching:CatalogRefreshInterval"] = settings.Store == "sqlite" ? "00:00:00" : null,
            },
        });
        builder.Configuration.AddEnvironmentVariables("IMPRESS_");
        builder.Configuration.AddCommandLine([.. settings.Configuration]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SqliteStoreOptions.Section}:{nameof(SqliteStoreOptions.DataDirectory)}"] = settings.DataDirectory,
            [$"Validation:{nameof(ImpressValidatorOptions.ProfilesDirectory)}"] = settings.ProfilesDirectory,
        }.Where(setting => setting.Value is not null));
        // De-identification keys not configured are the data directory's own (lowest precedence: configuration wins).
        var dataDirectory = builder.Configuration[$"{SqliteStoreOptions.Section}:{nameof(SqliteStoreOptions.DataDirectory)}"] ?? new SqliteStoreOptions().DataDirectory;
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = ExportKeyFile.LoadOrCreate(dataDirectory) });

        // Without tokens anyone who reaches the server could read every genome in it: only this machine may.
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (!security.RequiresTokens && NonLoopback(settings.Urls) is { } exposed)
        {
            throw new ServeRefusedException(
                $"impress serve without tokens listens on loopback only, not on {exposed}. Configure Security:Authority (HelseID) or Security:JwksFile, Security:Audience and Security:Organizations to serve other machines.");
        }

        builder.WebHost.UseUrls(settings.Urls);

        // Request paths and queries carry identifiers (a national id in ?identifier=...): the framework's request
        // logging stays below the default level.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting also opens a scope with the request path around every line logged while a request runs; a path
        // can name a patient (Patient/{id}), and sinks that keep scopes would keep it. Off, and with it the scope.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        builder.Services.AddImpressFhirApi(builder.Configuration);
        builder.Services.AddImpressPipelineWorkers();
        AddStore(builder.Services, builder.Configuration, settings.Store);
        builder.Services.AddHostedService<ValidatorWarmUp>();
        builder.Services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<FhirServerOptions>((kestrel, fhir) =>
            {
                // The FHIR surface enforces its own limit with a FHIR answer (413 and an OperationOutcome).
                kestrel.Limits.MaxRequestBodySize = fhir.MaxRequestBodyBytes + 1;
            });

        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapImpressFhir();

        // A broken policy file or a missing key stops the server here, not an export later.
        app.Services.GetRequiredService<ExportPolicies>();

        // Notifications carry absolute URLs: without a configured base, the one this process listens on.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var subscriptions = app.Services.GetRequiredService<SubscriptionOptions>();
            subscriptions.BaseUrl ??= new Uri(app.Urls.First().TrimEnd('/') + "/fhir");
        });
        return app;
    }

    /// <summary>The first address that is not this machine's own ("http://0.0.0.0:8080", "http://*:80"), or null.</summary>
    internal static string? NonLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(url =>
        {
            var host = Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Host : "";
            return !(host == "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address)));
        });

    private static void AddStore(IServiceCollection services, IConfiguration configuration, string store)
    {
        switch (store)
        {
            case "sqlite":
                services.AddOptions<SqliteStoreOptions>().Bind(configuration.GetSection(SqliteStoreOptions.Section));
                services.AddSingleton(sp =>
                {
                    var options = sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
                    ThreadPool.GetMinThreads(out var workers, out var completionPorts);
                    ThreadPool.SetMinThreads(Math.Max(workers, options.MinThreadPoolThreads), completionPorts);
                    return SqliteFhirStore.Open(options, sp.GetRequiredService<TimeProvider>());
                });
                services.AddImpressStore(sp => sp.GetRequiredService<SqliteFhirStore>());
                services.AddSingleton(sp => sp.GetRequiredService<SqliteFhirStore>().Queue);
                services.AddSingleton(sp => sp.GetRequiredService<SqliteFhirStore>().ExportFiles);
                break;
            case "azure":
                services.AddOptions<AzureStoreOptions>().Bind(configuration.GetSection(AzureStoreOptions.Section));
                services.AddSingleton(sp => AzureFhirStore.OpenAsync(sp.GetRequiredService<IOptions<AzureStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult());
                services.AddImpressStore(sp => sp.GetRequiredService<AzureFhirStore>());
                services.AddSingleton(sp => sp.GetRequiredService<AzureFhirStore>().Queue);
                services.AddSingleton(sp => sp.GetRequiredService<AzureFhirStore>().ExportFiles);
                services.AddHostedService<AzureStoreSweeper>();
                break;
            default:
                throw new ArgumentException($"'{store}' is not a store impress serve knows (sqlite, azure).", nameof(store));
        }
    }

    /// <summary>
    /// Every minute, aborts and removes commits whose writer died, and settles (and sends the stage messages of)
    /// those it left half done (see <see cref="AzureFhirStore.SweepAsync"/>).
    /// </summary>
    private sealed class AzureStoreSweeper(AzureFhirStore store, ILogger<AzureStoreSweeper> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var (aborted, settled) = await store.SweepAsync(stoppingToken);
                    if (aborted + settled > 0)
                    {
                        logger.LogInformation("Swept the store: {Aborted} abandoned commits removed, {Settled} settled.", aborted, settled);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Sweeping the store failed: {Message}", e.Message);
                }
            }
        }
    }

    /// <summary>Builds the validator and compiles the profiles after start, so the first report does not wait for it.</summary>
    private sealed class ValidatorWarmUp(IServiceProvider services, ILogger<ValidatorWarmUp> logger) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
        {
            try
            {
                var validator = services.GetRequiredService<ImpressValidator>();
                foreach (var example in validator.Package.ExampleFiles)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    validator.Validate(Fhir.FhirJsonReader.Default.Read(File.ReadAllBytes(example)));
                }

                logger.LogInformation("Profiles compiled; validation is warm.");

                // The catalog is read (and, on an empty store, seeded) now, not by the first report.
                services.GetRequiredService<Api.Matching.CatalogService>().GetAsync(stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                // Requests will meet the same problem and answer it; the server stays up.
                logger.LogWarning("Warming the validator up failed: {Message}", e.Message);
            }
        }, stoppingToken);
    }
}

/// <summary><c>impress serve</c> will not start as configured; the message says why and what to change.</summary>
public sealed class ServeRefusedException(string message) : Exception(message);
