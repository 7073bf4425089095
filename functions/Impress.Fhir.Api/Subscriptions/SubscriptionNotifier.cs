using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>Posts notification bundles to a subscription's rest-hook endpoint, with its headers and within its timeout.</summary>
public sealed class SubscriptionNotifier(IHttpClientFactory clients, SubscriptionOptions options)
{
    public const string HttpClientName = "subscriptions";

    /// <summary>Posts the bundle; returns null when the endpoint took it (2xx), else why not (no patient data in it).</summary>
    public async Task<string?> SendAsync(TopicSubscription subscription, Bundle bundle, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
        {
            Content = new StringContent(FhirJson.Serialize(bundle), System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
        foreach (var (name, value) in subscription.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(subscription.Timeout ?? options.DefaultTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"The endpoint answered HTTP {(int)response.StatusCode}.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"The endpoint did not answer within {(subscription.Timeout ?? options.DefaultTimeout).TotalSeconds:0.#} s.";
        }
        catch (HttpRequestException e)
        {
            return $"The endpoint could not be reached ({e.HttpRequestError}).";
        }
    }
}
