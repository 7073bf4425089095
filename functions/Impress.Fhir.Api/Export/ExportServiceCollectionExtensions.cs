using Impress.Fhir.Api.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Impress.Fhir.Api.Export;

/// <summary>Registers Bulk Data export: the kick-off and status operations, the export stage and the runner; the host adds an <see cref="Impress.Fhir.Export.IExportFileStore"/>.</summary>
public static class ExportServiceCollectionExtensions
{
    public static IServiceCollection AddImpressExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section))
            .Validate(o => o.SliceSize > 0 && o.PageSize > 0, $"{ExportOptions.Section}:SliceSize and PageSize must be positive.");
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ExportOptions>>().Value);
        services.TryAddSingleton<ExportPolicies>();
        services.TryAddSingleton<ExportJobStore>();
        services.TryAddSingleton<ExportRunner>();
        services.TryAddSingleton<ExportKickoff>();
        services.TryAddSingleton<ExportOperations>();
        services.TryAddSingleton<ExportSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, ExportStage>());
        return services;
    }
}
