using Impress.Fhir.Api.Publishing.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Impress.Fhir.Api.Publishing;

/// <summary>Registers delivery to hospital EHRs: the HTTP clients with their resilience pipeline, tokens, the outbox worker.</summary>
public static class PublishingServiceCollectionExtensions
{
    /// <summary>Retry-After longer than this is not waited for inside one attempt: the delivery is rescheduled instead.</summary>
    private static readonly TimeSpan LongestRetryAfterWaited = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddEhrPublishing(this IServiceCollection services)
    {
        services.AddHttpClient(EhrAccessTokens.HttpClientName);
        services.AddHttpClient(EhrClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("ehr", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<PublishingOptions>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.RetriesPerAttempt), // Polly needs one; ShouldHandle turns retries off at 0
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(
                        options.RetriesPerAttempt > 0
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)
                        && !(args.Outcome.Result?.Headers.RetryAfter?.Delta > LongestRetryAfterWaited)),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            })
            .SelectPipelineByAuthority();
        services.TryAddSingleton<EhrAccessTokens>();
        services.TryAddSingleton<EhrClient>();
        services.TryAddSingleton<DeliveryProcessor>();
        services.TryAddSingleton<DeliveryWorker>();
        return services;
    }
}
