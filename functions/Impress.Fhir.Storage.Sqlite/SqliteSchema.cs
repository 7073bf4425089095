using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>
/// The database schema, as numbered migrations. A database records the last one applied in PRAGMA user_version;
/// opening it applies the ones after, each in its own transaction, so a database of any earlier release upgrades
/// in place and a crash during an upgrade leaves it at the last whole step.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: versions, the current-version pointer, the token index of current versions, unique claims.
        // resource_version keeps its rowid: its rows carry whole resources, and WITHOUT ROWID tables store rows
        // in index pages, which spill anything over about a kilobyte to overflow pages.
        """
        CREATE TABLE resource_version (
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,  -- UTC ticks
            deleted INTEGER NOT NULL,
            json BLOB NOT NULL,
            PRIMARY KEY (type, id, version)
        );

        CREATE TABLE resource_current (
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_updated INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            PRIMARY KEY (type, id)
        ) WITHOUT ROWID;

        CREATE INDEX resource_current_by_last_updated ON resource_current (type, last_updated);

        -- One row per indexed value of a current version: search finds ids here, never by reading resources.
        -- system is '' for a value without one.
        CREATE TABLE search_token (
            type TEXT NOT NULL,
            parameter TEXT NOT NULL,
            value TEXT NOT NULL,
            system TEXT NOT NULL,
            id TEXT NOT NULL,
            PRIMARY KEY (type, parameter, value, system, id)
        ) WITHOUT ROWID;

        CREATE INDEX search_token_by_system ON search_token (type, parameter, system, id);
        CREATE INDEX search_token_by_resource ON search_token (type, id);

        -- A key two commits cannot both take: what makes conditional create and report ingestion race-safe.
        CREATE TABLE unique_claim (
            key TEXT NOT NULL PRIMARY KEY,
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            payload BLOB
        ) WITHOUT ROWID;
        """,

        // 2: the pipeline's queues. A commit's messages are rows of the commit's own transaction; a receiver takes a
        // message by moving its visibility past its lease, so a receiver that dies leaves it to reappear.
        """
        CREATE TABLE queue_message (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL,
            body TEXT NOT NULL,
            visible_at INTEGER NOT NULL,    -- UTC ticks: not received before
            dequeue_count INTEGER NOT NULL DEFAULT 0,
            receipt TEXT
        );

        CREATE INDEX queue_message_by_visibility ON queue_message (queue, visible_at, id);
        """,
    ];

    /// <summary>The schema version this release writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the database up to <see cref="CurrentVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer release.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {version}, newer than this release's {CurrentVersion}. Use a newer impress, or another data directory.");
        }

        for (var next = version; next < CurrentVersion; next++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                migrate.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
