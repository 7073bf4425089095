using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>The statements of one commit, prepared once and run for every write and claim in it.</summary>
internal sealed class SqliteCommitWriter : IDisposable
{
    private readonly SqliteCommand _currentVersion;
    private readonly SqliteCommand _insertVersion;
    private readonly SqliteCommand _setCurrent;
    private readonly SqliteCommand _clearIndex;
    private readonly SqliteCommand _insertToken;
    private readonly SqliteCommand _insertClaim;
    private readonly SqliteCommand _insertMessage;

    public SqliteCommitWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _currentVersion = Prepare(connection, transaction, "SELECT version FROM resource_current WHERE type = $type AND id = $id", "$type", "$id");
        _insertVersion = Prepare(connection, transaction,
            "INSERT INTO resource_version (type, id, version, last_updated, deleted, json) VALUES ($type, $id, $version, $last_updated, $deleted, $json)",
            "$type", "$id", "$version", "$last_updated", "$deleted", "$json");
        _setCurrent = Prepare(connection, transaction,
            "INSERT OR REPLACE INTO resource_current (type, id, version, last_updated, deleted) VALUES ($type, $id, $version, $last_updated, $deleted)",
            "$type", "$id", "$version", "$last_updated", "$deleted");
        _clearIndex = Prepare(connection, transaction, "DELETE FROM search_token WHERE type = $type AND id = $id", "$type", "$id");
        _insertToken = Prepare(connection, transaction,
            "INSERT OR IGNORE INTO search_token (type, parameter, value, system, id) VALUES ($type, $parameter, $value, $system, $id)",
            "$type", "$parameter", "$value", "$system", "$id");
        _insertClaim = Prepare(connection, transaction,
            "INSERT INTO unique_claim (key, type, id, payload) VALUES ($key, $type, $id, $payload)",
            "$key", "$type", "$id", "$payload");
        _insertMessage = Prepare(connection, transaction,
            "INSERT INTO queue_message (queue, body, visible_at) VALUES ($queue, $body, $visible_at)",
            "$queue", "$body", "$visible_at");
    }

    /// <exception cref="VersionConflictException">The resource is not at the write's expected version.</exception>
    public void Write(ResourceWrite write)
    {
        var version = write.Version;
        if (version.VersionId != write.ExpectedCurrentVersion + 1)
        {
            throw new ArgumentException($"{version.Reference} version {version.VersionId} does not follow version {write.ExpectedCurrentVersion}.", nameof(write));
        }

        var actual = Run(_currentVersion, version.Type, version.Id) is long current ? current : 0;
        if (actual != write.ExpectedCurrentVersion)
        {
            throw new VersionConflictException(version.Type, version.Id, write.ExpectedCurrentVersion, actual);
        }

        var lastUpdated = version.LastUpdated.UtcTicks;
        var deleted = version.IsDeleted ? 1 : 0;
        RunNonQuery(_insertVersion, version.Type, version.Id, version.VersionId, lastUpdated, deleted, version.Json.ToArray());
        RunNonQuery(_setCurrent, version.Type, version.Id, version.VersionId, lastUpdated, deleted);
        if (actual > 0)
        {
            RunNonQuery(_clearIndex, version.Type, version.Id);
        }

        if (!version.IsDeleted)
        {
            foreach (var entry in write.Index)
            {
                RunNonQuery(_insertToken, version.Type, entry.Parameter, entry.Value, entry.System ?? "", version.Id);
            }
        }
    }

    /// <exception cref="SqliteException">The key is taken (a constraint error).</exception>
    public void Claim(UniqueClaim claim) =>
        RunNonQuery(_insertClaim, claim.Key, claim.Type, claim.Id, claim.Payload.IsEmpty ? DBNull.Value : claim.Payload.ToArray());

    /// <summary>Queues a message, visible its delay after <paramref name="now"/> once the transaction commits.</summary>
    public void Enqueue(StageMessage message, DateTimeOffset now) =>
        RunNonQuery(_insertMessage, message.Queue, message.Body, (now + message.Delay).UtcTicks);

    public void Dispose()
    {
        foreach (var command in new[] { _currentVersion, _insertVersion, _setCurrent, _clearIndex, _insertToken, _insertClaim, _insertMessage })
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static object? Run(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }

    private static void RunNonQuery(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }
}
