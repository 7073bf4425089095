using Impress.Fhir.Api.Audit;
using Impress.Fhir.Api.Capabilities;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Api.Http;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Api.Review;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Api.Subscriptions;
using Impress.Fhir.Storage;
using Impress.Fhir.Tso500;
using Impress.Fhir.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Impress.Fhir.Api;

/// <summary>Registers and maps the FHIR REST surface; the host adds an <see cref="IFhirStore"/> and its <see cref="IStageQueue"/>.</summary>
public static class FhirApiExtensions
{
    /// <summary>Adds the FHIR surface's services, bound to the "Fhir" configuration section.</summary>
    public static IServiceCollection AddImpressFhirApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirServerOptions>().Bind(configuration.GetSection(FhirServerOptions.Section));
        services.AddOptions<ImpressValidatorOptions>().Bind(configuration.GetSection("Validation"));
        services.AddOptions<Tso500ImportOptions>().Bind(configuration.GetSection(Tso500ImportOptions.Section));
        services.AddOptions<MatchingOptions>().Bind(configuration.GetSection(MatchingOptions.Section));
        services.AddOptions<PublishingOptions>().Bind(configuration.GetSection(PublishingOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<FhirServerOptions>>().Value);
        services.TryAddSingleton(sp => ImpressValidator.Create(sp.GetRequiredService<IOptions<ImpressValidatorOptions>>().Value));
        services.TryAddSingleton(SearchParameterRegistry.Default);
        services.TryAddSingleton(sp => new SearchIndexer(sp.GetRequiredService<SearchParameterRegistry>()));
        services.TryAddSingleton<StoredResources>();
        services.TryAddSingleton<SearchRequestParser>();
        services.TryAddSingleton<ResourceService>();
        services.TryAddSingleton<TransactionProcessor>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<Tso500ImportOptions>>().Value);
        services.TryAddSingleton<Tso500ImportOperation>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MatchingOptions>>().Value);
        services.TryAddSingleton<CommitContributors>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PublishingOptions>>().Value);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitContributor, ReviewContributor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitContributor, PublicationContributor>());
        services.TryAddSingleton<HospitalRoutes>();
        services.AddEhrPublishing();
        services.TryAddSingleton<CatalogService>();
        services.TryAddSingleton<ProposalService>();
        services.TryAddSingleton<MatchOperation>();
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.Section));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PipelineOptions>>().Value);
        services.AddImpressPipeline();
        services.AddOptions<SubscriptionOptions>().Bind(configuration.GetSection(SubscriptionOptions.Section))
            .PostConfigure(o => o.BaseUrl ??= Environment.GetEnvironmentVariable("WEBSITE_HOSTNAME") is { Length: > 0 } host ? new Uri($"https://{host}/fhir") : null);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SubscriptionOptions>>().Value);
        services.AddImpressSubscriptions();
        services.AddImpressExport(configuration);
        services.AddImpressSecurity(configuration);
        services.TryAddSingleton<ReportAuthorship>();
        services.TryAddSingleton<SubscriptionScope>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<CapabilityStatementFactory>();
        services.TryAddSingleton<FhirRequestReader>();
        services.TryAddSingleton<FhirHttpHandler>();
        return services;
    }

    /// <summary>
    /// Adds the host's store as the <see cref="IFhirStore"/> everything uses, behind the tenancy every request is
    /// held to (<see cref="TenantStore"/>).
    /// </summary>
    public static IServiceCollection AddImpressStore(this IServiceCollection services, Func<IServiceProvider, IFhirStore> store) =>
        services.AddSingleton<IFhirStore>(sp => new TenantStore(store(sp)));

    /// <summary>Serves the FHIR surface under <see cref="FhirServerOptions.BasePath"/>.</summary>
    public static IEndpointConventionBuilder MapImpressFhir(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<FhirServerOptions>();
        var handler = endpoints.ServiceProvider.GetRequiredService<FhirHttpHandler>();
        var basePath = options.BasePath.TrimEnd('/');
        return endpoints.Map(basePath + "/{**path}", (HttpContext context, string? path) => handler.HandleAsync(context, path));
    }
}
