using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>What became of a message: handled, to be tried again after a delay, or poison (never to be handled).</summary>
public enum StageOutcomeKind
{
    Completed,
    Retry,
    Poison,
}

/// <param name="Kind">What became of the message.</param>
/// <param name="RetryDelay">For a retry, how long to wait before the next try.</param>
public readonly record struct StageOutcome(StageOutcomeKind Kind, TimeSpan RetryDelay = default)
{
    public static StageOutcome Completed { get; } = new(StageOutcomeKind.Completed);

    public static StageOutcome Poison { get; } = new(StageOutcomeKind.Poison);
}

/// <summary>
/// Hands a queued message to its stage and decides what becomes of it, the same for both hosts (the in-process
/// workers of <c>impress serve</c> and the queue-triggered functions): a message no stage can read is poison at
/// once; one whose stage fails is tried again with a growing delay, and after
/// <see cref="PipelineOptions.MaxDequeueCount"/> tries goes to the poison queue, where it stays to be looked at.
/// </summary>
public sealed partial class StageDispatcher(IEnumerable<IStageHandler> handlers, PipelineOptions options, ILogger<StageDispatcher> logger)
{
    private readonly Dictionary<string, IStageHandler> _handlers = handlers.ToDictionary(h => h.Queue, StringComparer.Ordinal);

    /// <summary>The queues there are stages for.</summary>
    public IReadOnlyCollection<string> Queues => _handlers.Keys;

    public async Task<StageOutcome> HandleAsync(string queue, string body, long dequeueCount, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(queue, out var handler) || !StageWork.TryParse(body, handler.Accepts, out var work))
        {
            LogUnreadable(logger, queue);
            return StageOutcome.Poison;
        }

        try
        {
            await handler.HandleAsync(work, cancellationToken);
            return StageOutcome.Completed;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (dequeueCount >= options.MaxDequeueCount)
            {
                LogPoisoned(logger, queue, work.Reference, dequeueCount, e.GetType().FullName, e.StackTrace);
                await GiveUpAsync(handler, work, cancellationToken);
                return StageOutcome.Poison;
            }

            var delay = Backoff.After(options.RetryDelay, options.MaxRetryDelay, dequeueCount);
            LogFailed(logger, queue, work.Reference, dequeueCount, e.GetType().FullName, e.StackTrace);
            return new StageOutcome(StageOutcomeKind.Retry, delay);
        }
    }

    private async Task GiveUpAsync(IStageHandler handler, StageWork work, CancellationToken cancellationToken)
    {
        try
        {
            await handler.GiveUpAsync(work, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The message is poison either way; the stage's own sweep is left to notice.
            LogGiveUpFailed(logger, handler.Queue, work.Reference, e.GetType().FullName);
        }
    }

    // Message bodies are ids, never patient data; exception messages may quote content and are not logged.
    [LoggerMessage(Level = LogLevel.Error, Message = "A message in the {Queue} queue names nothing its stage can work on: moved to the poison queue.")]
    private static partial void LogUnreadable(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Queue} stage failed on {Reference} (try {Try}), to be tried again: {ExceptionType} {StackTrace}")]
    private static partial void LogFailed(ILogger logger, string queue, string reference, long @try, string? exceptionType, string? stackTrace);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Queue} stage failed on {Reference} {Tries} times: moved to the poison queue. {ExceptionType} {StackTrace}")]
    private static partial void LogPoisoned(ILogger logger, string queue, string reference, long tries, string? exceptionType, string? stackTrace);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Queue} stage could not record that it gave up on {Reference}: {ExceptionType}")]
    private static partial void LogGiveUpFailed(ILogger logger, string queue, string reference, string? exceptionType);
}
