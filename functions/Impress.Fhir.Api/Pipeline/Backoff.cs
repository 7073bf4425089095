namespace Impress.Fhir.Api.Pipeline;

/// <summary>Exponential backoff without jitter: the wait before a retry, doubled with each failure, at most a ceiling.</summary>
public static class Backoff
{
    /// <param name="first">The wait after the first failure.</param>
    /// <param name="ceiling">The longest wait.</param>
    /// <param name="failures">Failures so far, at least 1.</param>
    public static TimeSpan After(TimeSpan first, TimeSpan ceiling, long failures) =>
        TimeSpan.FromTicks(Math.Min(ceiling.Ticks, first.Ticks * (1L << (int)Math.Clamp(failures - 1, 0, 20))));
}
