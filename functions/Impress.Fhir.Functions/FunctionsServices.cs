using Impress.Fhir.Api;
using Impress.Fhir.Storage.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Impress.Fhir.Functions;

public static class FunctionsServices
{
    /// <summary>What the functions need: the FHIR surface and the pipeline's stages over the Azure store, opened once per worker.</summary>
    public static IServiceCollection AddImpressFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddImpressFhirApi(configuration);
        services.AddOptions<AzureStoreOptions>().Bind(configuration.GetSection(AzureStoreOptions.Section))
            .Validate(o => o.TablePrefix == StageTrigger.QueuePrefix, $"The Functions app's queue triggers listen on the queues of {AzureStoreOptions.Section}:TablePrefix '{StageTrigger.QueuePrefix}'; give each app a storage account of its own instead of another prefix.");
        services.AddSingleton(sp => AzureFhirStore.OpenAsync(sp.GetRequiredService<IOptions<AzureStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult());
        services.AddImpressStore(sp => sp.GetRequiredService<AzureFhirStore>());
        services.AddSingleton(sp => sp.GetRequiredService<AzureFhirStore>().Queue);
        services.AddSingleton(sp => sp.GetRequiredService<AzureFhirStore>().ExportFiles);
        services.AddSingleton<StageTrigger>();
        return services;
    }
}
