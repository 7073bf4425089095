using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// A token bucket per client (System.Threading.RateLimiting, the limiter ASP.NET Core's rate limiting middleware is
/// built on), applied by the FHIR surface so both hosts limit alike. The local operator is not limited.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public ClientRateLimiter(SecurityOptions options)
    {
        var limit = options.RateLimit;
        if (limit.Burst > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = Math.Max(1, limit.PerSecond),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>Null when the caller may go on; otherwise the 429 with Retry-After.</summary>
    public FhirResult? TryAcquire(Caller caller)
    {
        if (_limiter is null || caller.Role == CallerRole.LocalOperator)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(caller.ClientId);
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        return FhirResult.Error(HttpStatusCode.TooManyRequests, OperationOutcome.IssueType.Throttled,
            $"Client {caller.ClientId} has made too many requests; try again in {retryAfter} s.") with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture) },
        };
    }

    public void Dispose() => _limiter?.Dispose();
}
