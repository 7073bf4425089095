using Impress.Fhir.Api.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>Registers topic-based subscriptions: the events and notify stages, the ledger, the notifier, the sweep and the operations.</summary>
public static class SubscriptionServiceCollectionExtensions
{
    public static IServiceCollection AddImpressSubscriptions(this IServiceCollection services)
    {
        // No retries inside a request: a failed notification is tried again by the notify stage, with backoff, in order.
        services.AddHttpClient(SubscriptionNotifier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<SubscriptionNotifier>();
        services.TryAddSingleton<SubscriptionLedger>();
        services.TryAddSingleton<SubscriptionDirectory>();
        services.TryAddSingleton<TopicEvents>();
        services.TryAddSingleton<NotifyStage>();
        services.TryAddSingleton<SubscriptionSweeper>();
        services.TryAddSingleton<SubscriptionOperations>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, EventStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageHandler, NotifyStage>(sp => sp.GetRequiredService<NotifyStage>()));
        return services;
    }
}
