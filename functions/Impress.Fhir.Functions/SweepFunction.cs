using Impress.Fhir.Storage.Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Functions;

/// <summary>
/// Every minute: aborts and removes commits whose writer died, and settles those it left half done, sending the
/// stage messages they had not sent (a crash between a commit and its hand-over to the next stage).
/// </summary>
public sealed partial class SweepFunction(AzureFhirStore store, ILogger<SweepFunction> logger)
{
    [Function("sweep")]
    public async Task RunAsync([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var (aborted, settled) = await store.SweepAsync(cancellationToken);
        if (aborted + settled > 0)
        {
            LogSwept(logger, aborted, settled);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept the store: {Aborted} abandoned commits removed, {Settled} settled.")]
    private static partial void LogSwept(ILogger logger, int aborted, int settled);
}
