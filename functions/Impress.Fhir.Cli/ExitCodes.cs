namespace Impress.Fhir.Cli;

/// <summary>What <c>impress</c> returns to the shell.</summary>
public static class ExitCodes
{
    /// <summary>Everything checked is valid.</summary>
    public const int Success = 0;

    /// <summary>Something checked is invalid (or a snapshot is stale).</summary>
    public const int Invalid = 1;

    /// <summary>Input could not be read, or the command line was wrong.</summary>
    public const int UnreadableOrUsage = 2;
}
