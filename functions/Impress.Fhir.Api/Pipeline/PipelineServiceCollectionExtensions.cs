using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Api.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>Registers the pipeline: accept (the FHIR surface) -> match -> publish, handing over through the store's queues.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The stages and what queues their work with every commit; the host adds an <see cref="Storage.IStageQueue"/>.</summary>
    public static IServiceCollection AddImpressPipeline(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitContributor, PipelineContributor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, MatchStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, CatalogStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, PublishStage>());
        services.TryAddSingleton<StageDispatcher>();
        return services;
    }

    /// <summary>
    /// Runs the stages in this process (<c>impress serve</c>): workers on the stage queues, the outbox sweep that
    /// carries out deliveries due for a retry, the subscriptions' sweep (heartbeats), and the removal of expired exports. The Functions app runs queue
    /// and timer triggers instead.
    /// </summary>
    public static IServiceCollection AddImpressPipelineWorkers(this IServiceCollection services)
    {
        services.TryAddSingleton<StageWorker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PipelineOptions>().RunStages ? sp.GetRequiredService<StageWorker>() : NoStages.Instance);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PipelineOptions>().RunStages ? sp.GetRequiredService<DeliveryWorker>() : NoStages.Instance);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PipelineOptions>().RunStages ? sp.GetRequiredService<SubscriptionSweeper>() : NoStages.Instance);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PipelineOptions>().RunStages ? sp.GetRequiredService<Export.ExportSweeper>() : NoStages.Instance);
        return services;
    }

    /// <summary>What runs in place of the stages in a process that only accepts.</summary>
    private sealed class NoStages : IHostedService
    {
        public static NoStages Instance { get; } = new();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
