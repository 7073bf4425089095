using Impress.Fhir.Api.Subscriptions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Functions;

/// <summary>Every 10 seconds: heartbeats of idle subscriptions, and the notification of any with events left undelivered by a crash.</summary>
public sealed partial class SubscriptionsFunction(SubscriptionSweeper sweeper, ILogger<SubscriptionsFunction> logger)
{
    [Function("subscriptions")]
    public async Task RunAsync([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var (heartbeats, queued) = await sweeper.RunOnceAsync(cancellationToken);
        if (heartbeats + queued > 0)
        {
            LogSwept(logger, heartbeats, queued);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscriptions: {Heartbeats} heartbeats sent, {Queued} notifications queued.")]
    private static partial void LogSwept(ILogger logger, int heartbeats, int queued);
}
