using System.CommandLine;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Cli.Serve;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Cli.Commands;

/// <summary><c>impress serve</c>: runs the FHIR server until stopped (Ctrl+C or SIGTERM).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen, as in any ASP.NET Core app (default {ServeSettings.DefaultUrls}; the FHIR base is /fhir below it).",
            DefaultValueFactory = _ => ServeSettings.DefaultUrls,
        };
        var data = new Option<string>("--data")
        {
            Description = $"The embedded store's folder (default ./{ServeSettings.DefaultDataDirectory}).",
            DefaultValueFactory = _ => ServeSettings.DefaultDataDirectory,
        };
        var store = new Option<string>("--store")
        {
            Description = "sqlite: the embedded store (default); azure: Azure Storage, as configured under Storage:Azure (e.g. --Storage:Azure:ConnectionString=...).",
            DefaultValueFactory = _ => "sqlite",
        };
        store.AcceptOnlyFromAmong("sqlite", "azure");
        var profiles = new Option<string?>("--profiles") { Description = "The IMPRESS package folder (default: the one shipped with impress)." };

        var command = new Command("serve", "Run the FHIR server. Further settings as --Section:Key=value (e.g. --Fhir:MaxBundleEntries=500).")
        {
            urls, data, store, profiles,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var settings = new ServeSettings(parse.GetValue(urls)!, parse.GetValue(data)!, parse.GetValue(profiles), parse.GetValue(store)!, [.. parse.UnmatchedTokens]);
            WebApplication app;
            try
            {
                app = ServerHost.Build(settings);
            }
            catch (ServeRefusedException refused)
            {
                parse.InvocationConfiguration.Error.WriteLine(refused.Message);
                return ExitCodes.UnreadableOrUsage;
            }

            var tokens = app.Services.GetRequiredService<SecurityOptions>().RequiresTokens
                ? "tokens required"
                : "no tokens: loopback only";
            app.Lifetime.ApplicationStarted.Register(() =>
                parse.InvocationConfiguration.Output.WriteLine($"impress serve: FHIR base {string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + "/fhir"))}, {(settings.Store == "sqlite" ? $"data in {Path.GetFullPath(settings.DataDirectory)} (SQLite)" : "data in Azure Storage")}, {tokens}. Ctrl+C stops."));
            app.Run();
            return ExitCodes.Success;
        });
        return command;
    }
}
