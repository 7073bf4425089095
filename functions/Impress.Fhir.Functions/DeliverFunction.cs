using Impress.Fhir.Api.Publishing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Functions;

/// <summary>
/// Every minute: delivers what the outbox holds that is due. The worker in the process delivers at once when a
/// commit opens a delivery; this is what still runs when no instance is awake to do it, and after retries' delays.
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
