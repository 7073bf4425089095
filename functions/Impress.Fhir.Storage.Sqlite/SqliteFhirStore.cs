using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite database in WAL mode, the choice Firely Server makes for its embedded repository.
/// A commit is one SQLite transaction, so it is all or nothing to readers and across a crash; readers never wait
/// for writers. Unique claims are a primary key, so two commits taking one key cannot both succeed, whatever the
/// timing. Search reads the token index and the current-version table, never the stored resources.
/// </summary>
public sealed class SqliteFhirStore : IFhirStore, IDisposable
{
    private const int SqliteConstraint = 19;

    private readonly string _connectionString;
    private readonly string _synchronous;

    /// <summary>Writers queue here rather than spin on SQLite's busy handler: SQLite takes one writer at a time anyway.</summary>
    private readonly SqliteWriter _writer;

    private readonly TimeProvider _time;
    private readonly SqliteStageQueue _queue;

    private SqliteFhirStore(string connectionString, bool durableCommits, TimeProvider time)
    {
        _connectionString = connectionString;
        _synchronous = durableCommits ? "FULL" : "NORMAL";
        _time = time;
        _writer = new SqliteWriter(OpenConnection, durableCommits);
        _queue = new SqliteStageQueue(() => OpenConnection("NORMAL"), _writer, time);
    }

    /// <summary>The database file.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The files of export jobs: the <c>exports</c> folder beside the database.</summary>
    public required Impress.Fhir.Export.IExportFileStore ExportFiles { get; init; }

    /// <summary>The pipeline's queues, in the same database: a commit's messages are part of its transaction.</summary>
    public IStageQueue Queue => _queue;

    /// <summary>Opens (creating when needed) the database in <see cref="SqliteStoreOptions.DataDirectory"/> and brings its schema up to date.</summary>
    public static SqliteFhirStore Open(SqliteStoreOptions options, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.GetFullPath(Path.Combine(options.DataDirectory, options.FileName));
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        }.ToString();

        var store = new SqliteFhirStore(connectionString, options.DurableCommits, time ?? TimeProvider.System)
        {
            DatabasePath = path,
            ExportFiles = new Impress.Fhir.Export.FileSystemExportFileStore(Path.Combine(Path.GetDirectoryName(path)!, "exports")),
        };
        using (var connection = store.OpenConnection())
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            SqliteSchema.Migrate(connection);
        }

        return store;
    }

    public Task<ResourceVersion?> ReadAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = Command(connection, """
            SELECT v.version, v.last_updated, v.deleted, v.json
            FROM resource_current c JOIN resource_version v ON v.type = c.type AND v.id = c.id AND v.version = c.version
            WHERE c.type = $type AND c.id = $id
            """, ("$type", type), ("$id", id));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? VersionAt(reader, type, id, 0) : null);
    }

    public Task<ResourceVersion?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = Command(connection,
            "SELECT version, last_updated, deleted, json FROM resource_version WHERE type = $type AND id = $id AND version = $version",
            ("$type", type), ("$id", id), ("$version", versionId));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? VersionAt(reader, type, id, 0) : null);
    }

    public Task<IReadOnlyList<ResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = Command(connection,
            "SELECT version, last_updated, deleted, json FROM resource_version WHERE type = $type AND id = $id ORDER BY version DESC",
            ("$type", type), ("$id", id));
        using var reader = command.ExecuteReader();
        var versions = new List<ResourceVersion>();
        while (reader.Read())
        {
            versions.Add(VersionAt(reader, type, id, 0));
        }

        return Task.FromResult<IReadOnlyList<ResourceVersion>>(versions);
    }

    public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        // A page of none (_count=0), or a criterion no value can meet: nothing to look up.
        if (query.Count <= 0 || query.Criteria.Any(c => c.AnyOf.Count == 0))
        {
            return Task.FromResult(new SearchPage([], null));
        }

        using var connection = OpenConnection();
        using var command = SqliteSearch.Build(connection, query);
        using var reader = command.ExecuteReader();
        var found = new List<ResourceVersion>(Math.Min(query.Count, 1_000));
        var more = false;
        while (reader.Read())
        {
            if (found.Count == query.Count)
            {
                more = true;
                break;
            }

            found.Add(VersionAt(reader, query.Type, reader.GetString(4), 0));
        }

        return Task.FromResult(new SearchPage(found, more ? SqliteSearch.ContinuationAfter(found[^1].Id) : null));
    }

    public Task<ClaimOwner?> FindClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        return Task.FromResult(FindClaim(connection, null, key));
    }

    public async Task CommitAsync(StoreCommit commit, CancellationToken cancellationToken = default)
    {
        await _writer.WriteAsync((connection, transaction) =>
        {
            using var writer = new SqliteCommitWriter(connection, transaction);
            foreach (var write in commit.Writes)
            {
                writer.Write(write);
            }

            foreach (var claim in commit.Claims)
            {
                try
                {
                    writer.Claim(claim);
                }
                catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
                {
                    var owner = FindClaim(connection, transaction, claim.Key)
                        ?? throw new InvalidOperationException($"The claim {claim.Key} conflicted, but has no owner.", e);
                    throw new UniqueClaimConflictException(claim.Key, owner);
                }
            }

            var now = _time.GetUtcNow();
            foreach (var message in commit.Messages)
            {
                writer.Enqueue(message, now);
            }

            return true;
        }, commit.FlushToDisk, cancellationToken);

        if (commit.Messages.Count > 0)
        {
            _queue.Arrived(commit.Messages.Select(m => m.Queue));
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private SqliteConnection OpenConnection() => OpenConnection(_synchronous);

    private SqliteConnection OpenConnection(string synchronous)
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // Per connection: FULL makes every commit durable before the write is acknowledged; NORMAL only across a
        // crash of the process (not of the machine). A page cache larger than SQLite's 2 MB default keeps the
        // index pages of recent commits in memory.
        Execute(connection, $"PRAGMA synchronous = {synchronous}; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;");
        return connection;
    }

    private static ClaimOwner? FindClaim(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = Command(connection, "SELECT type, id, payload FROM unique_claim WHERE key = $key", ("$key", key));
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ClaimOwner(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? ReadOnlyMemory<byte>.Empty : (byte[])reader.GetValue(2))
            : null;
    }

    /// <summary>A version from the columns version, last_updated, deleted, json starting at <paramref name="first"/>.</summary>
    private static ResourceVersion VersionAt(SqliteDataReader reader, string type, string id, int first) => new(
        type,
        id,
        reader.GetInt64(first),
        new DateTimeOffset(reader.GetInt64(first + 1), TimeSpan.Zero),
        reader.GetInt64(first + 2) != 0,
        (byte[])reader.GetValue(first + 3));

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
