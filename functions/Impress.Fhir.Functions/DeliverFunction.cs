using Impress.Fhir.Api.Publishing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Functions;

/// <summary>
/// Every minute: delivers what the outbox holds that is due. The publish stage delivers at once when a commit opens
/// a delivery; this sweep carries out the retries when their delay has passed, and anything whose publish message
/// went to the poison queue.
/// </summary>
public sealed partial class DeliverFunction(DeliveryWorker outbox, ILogger<DeliverFunction> logger)
{
    [Function("deliver")]
    public async Task RunAsync([TimerTrigger("30 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var (delivered, _) = await outbox.RunOnceAsync(cancellationToken);
        if (delivered > 0)
        {
            LogDelivered(logger, delivered);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Delivered} deliveries ran.")]
    private static partial void LogDelivered(ILogger logger, int delivered);
}
