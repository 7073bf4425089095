using Impress.Fhir.Api.Export;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Functions;

/// <summary>Every five minutes: removes the export jobs whose files have expired, and the files.</summary>
public sealed partial class ExportsFunction(ExportOperations exports, ILogger<ExportsFunction> logger)
{
    [Function("exports")]
    public async Task RunAsync([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (await exports.RemoveExpiredAsync(cancellationToken) is > 0 and var removed)
        {
            LogRemoved(logger, removed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired exports and their files.")]
    private static partial void LogRemoved(ILogger logger, int count);
}
