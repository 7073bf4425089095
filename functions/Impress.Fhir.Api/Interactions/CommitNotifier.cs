using Impress.Fhir.Storage;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Interactions;

/// <summary>Something that acts on what was stored, once a commit has succeeded (matching a new report, re-matching after a catalog change).</summary>
public interface ICommitObserver
{
    Task CommittedAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken);
}

/// <summary>
/// Tells the observers of every successful commit. What they do follows from what was stored and cannot undo it:
/// an observer that fails is logged (without content) and the interaction still succeeds.
/// </summary>
public sealed partial class CommitNotifier(IEnumerable<ICommitObserver> observers, ILogger<CommitNotifier> logger)
{
    private readonly ICommitObserver[] _observers = [.. observers];

    public async Task NotifyAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.CommittedAsync(writes, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserverFailed(logger, observer.GetType().Name, e.GetType().FullName, e.StackTrace);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Observer} failed after a commit: {ExceptionType} {StackTrace}")]
    private static partial void LogObserverFailed(ILogger logger, string observer, string? exceptionType, string? stackTrace);
}
