using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>
/// The one writer of the database: SQLite takes one write transaction at a time, so writes queue here, and the
/// writes waiting when the writer comes round are applied in one transaction, each in a savepoint of its own
/// (group commit). A write that fails rolls back its savepoint alone and gets its exception; the others commit
/// together, with one sync to disk for all of them instead of one each.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>The most writes one transaction takes: bounds how long a reader of the next one waits.</summary>
    private const int MaxBatch = 64;

    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<string, SqliteConnection> _openConnection;
    private readonly bool _durableCommits;
    private readonly Task _loop;

    /// <param name="openConnection">Opens a connection with the given PRAGMA synchronous.</param>
    /// <param name="durableCommits">Whether a write that asks for it is on disk before it is acknowledged.</param>
    public SqliteWriter(Func<string, SqliteConnection> openConnection, bool durableCommits)
    {
        _openConnection = openConnection;
        _durableCommits = durableCommits;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Applies <paramref name="write"/> in a write transaction; <paramref name="flush"/>: on disk before this returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, bool flush, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite((connection, transaction) => write(connection, transaction), flush);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteFhirStore));
        }

        // Once queued a write happens whatever the caller does: it is not cancelled half way.
        return (T)(await pending.Done.Task)!;
    }

    public void Dispose()
    {
        _pending.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private async Task WriteLoopAsync()
    {
        SqliteConnection? connection = null;
        string? synchronous = null;
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                // FULL when a write of the batch must be on disk when acknowledged; set between transactions.
                var wanted = _durableCommits && batch.Any(w => w.Flush) ? "FULL" : "NORMAL";
                connection ??= _openConnection(wanted);
                if (wanted != synchronous)
                {
                    using var pragma = connection.CreateCommand();
                    pragma.CommandText = $"PRAGMA synchronous = {wanted};";
                    pragma.ExecuteNonQuery();
                    synchronous = wanted;
                }

                Apply(connection, batch);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static void Apply(SqliteConnection connection, List<PendingWrite> batch)
    {
        var results = new object?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                transaction.Save("write");
                try
                {
                    results[i] = batch[i].Apply(connection, transaction);
                    transaction.Release("write");
                }
                catch (Exception e)
                {
                    transaction.Rollback("write");
                    transaction.Release("write");
                    failures[i] = e;
                }
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // The transaction itself failed (disk full, I/O): none of the batch is stored.
            foreach (var write in batch)
            {
                write.Done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
    }

    private sealed class PendingWrite(Func<SqliteConnection, SqliteTransaction, object?> apply, bool flush)
    {
        public Func<SqliteConnection, SqliteTransaction, object?> Apply { get; } = apply;

        public bool Flush { get; } = flush;

        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
