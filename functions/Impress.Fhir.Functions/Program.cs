using Impress.Fhir.Functions;
using Microsoft.Extensions.Hosting;

// The FHIR surface and the Azure store, configured from the app's settings ("Storage:Azure:BlobServiceUri" and
// "TableServiceUri" with the managed identity in Azure; a connection string to Azurite locally).
var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) => services.AddImpressFunctions(context.Configuration))
    .Build();

host.Run();
