using Impress.Fhir.Functions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The FHIR surface and the Azure store, configured from the app's settings ("Storage:Azure:BlobServiceUri" and
// "TableServiceUri" with the managed identity in Azure; a connection string to Azurite locally).
var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) => services.AddImpressFunctions(context.Configuration))
    // The request-path scope of ASP.NET Core's hosting would put paths (Patient/{id}) on every line logged.
    .ConfigureLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None))
    .Build();

// A broken de-identification policy or a missing key (Export:Keys, from Key Vault) stops the app here, not an export later.
host.Services.GetRequiredService<Impress.Fhir.Api.Export.ExportPolicies>();

// An app in Azure is reachable from the internet: without tokens it would open every genome to anyone.
if (Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID") is { Length: > 0 }
    && !host.Services.GetRequiredService<Impress.Fhir.Api.Security.SecurityOptions>().RequiresTokens)
{
    throw new InvalidOperationException("The Functions app requires tokens in Azure: set Security:Authority (HelseID) or Security:JwksFile, Security:Audience and Security:Organizations.");
}

host.Run();
