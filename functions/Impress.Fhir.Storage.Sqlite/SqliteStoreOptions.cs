namespace Impress.Fhir.Storage.Sqlite;

/// <summary>Settings of the embedded store (configuration section "Storage:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Storage:Sqlite";

    /// <summary>
    /// The fewest thread-pool threads the process keeps ready. SQLite reads synchronously (Microsoft.Data.Sqlite has no
    /// asynchronous I/O), so each read holds a pool thread; with the stages' workers and the requests all reading at
    /// once, a pool that grows a thread at a time would leave work waiting on it.
    /// </summary>
    public int MinThreadPoolThreads { get; set; } = 64;

    /// <summary>The folder holding the database (created when missing).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "impress.db";

    /// <summary>
    /// Whether a commit is on disk before it is acknowledged (SQLite synchronous = FULL), so that it survives a power
    /// cut. Off (NORMAL), commits survive a crash or kill of the process but the last ones may be lost with the machine.
    /// </summary>
    public bool DurableCommits { get; set; } = true;

    /// <summary>How long an operation waits for another process holding the database before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
