using Impress.Fhir.Functions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The FHIR surface and the Azure store, configured from the app's settings ("Storage:Azure:BlobServiceUri" and
// "TableServiceUri" with the managed identity in Azure; a connection string to Azurite locally).
var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) => services.AddImpressFunctions(context.Configuration))
    .Build();

// A broken de-identification policy or a missing key (Export:Keys, from Key Vault) stops the app here, not an export later.
host.Services.GetRequiredService<Impress.Fhir.Api.Export.ExportPolicies>();

host.Run();
