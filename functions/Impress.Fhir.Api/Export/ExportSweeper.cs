using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Export;

/// <summary>Removes expired export jobs and their files every <see cref="ExportOptions.SweepInterval"/> (<c>impress serve</c>; on Azure, the timer).</summary>
public sealed partial class ExportSweeper(ExportOperations exports, ExportOptions options, TimeProvider time, ILogger<ExportSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await exports.RemoveExpiredAsync(stoppingToken) is > 0 and var removed)
                    {
                        LogRemoved(logger, removed);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e.GetType().FullName, e.StackTrace);
                }

                await Task.Delay(options.SweepInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired exports and their files.")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The export sweep failed: {ExceptionType} {StackTrace}")]
    private static partial void LogSweepFailed(ILogger logger, string? exceptionType, string? stackTrace);
}
