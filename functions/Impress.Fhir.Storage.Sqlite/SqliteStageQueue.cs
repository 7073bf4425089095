using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>
/// The pipeline's queues in the embedded store's database (table queue_message): durable across restarts, and a
/// commit's messages are written by the commit's own transaction. A receiver in this process waiting on a queue is
/// woken as soon as a message arrives, or when the next message hidden for a delay or a lease becomes visible, so a
/// stage starts without polling delay.
/// </summary>
internal sealed class SqliteStageQueue(Func<SqliteConnection> openConnection, SqliteWriter writer, TimeProvider time) : IStageQueue
{
    /// <summary>Per queue, set when messages arrive and taken by the next wait: an arrival between a receive and the wait is not missed.</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _arrivals = new(StringComparer.Ordinal);

    public async Task SendAsync(IReadOnlyList<StageMessage> messages, CancellationToken cancellationToken = default)
    {
        await writer.WriteAsync((connection, transaction) =>
        {
            using var insert = SqliteFhirStore.Command(connection, "INSERT INTO queue_message (queue, body, visible_at) VALUES ($queue, $body, $visible_at)",
                ("$queue", ""), ("$body", ""), ("$visible_at", 0L));
            insert.Transaction = transaction;
            var now = time.GetUtcNow();
            foreach (var message in messages)
            {
                insert.Parameters["$queue"].Value = message.Queue;
                insert.Parameters["$body"].Value = message.Body;
                insert.Parameters["$visible_at"].Value = (now + message.Delay).UtcTicks;
                insert.ExecuteNonQuery();
            }

            return true;
        }, false, cancellationToken);
        Arrived(messages.Select(m => m.Queue));
    }

    public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lease, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<QueuedMessage>>((connection, transaction) =>
        {
            var now = time.GetUtcNow();
            var receipt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            using var command = SqliteFhirStore.Command(connection, """
                UPDATE queue_message SET visible_at = $until, dequeue_count = dequeue_count + 1, receipt = $receipt
                WHERE id IN (SELECT id FROM queue_message WHERE queue = $queue AND visible_at <= $now ORDER BY visible_at, id LIMIT $max)
                RETURNING id, body, dequeue_count
                """,
                ("$until", (now + lease).UtcTicks), ("$receipt", receipt), ("$queue", queue), ("$now", now.UtcTicks), ("$max", maxMessages));
            command.Transaction = transaction;
            using var reader = command.ExecuteReader();
            var received = new List<QueuedMessage>();
            while (reader.Read())
            {
                received.Add(new QueuedMessage(queue, reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), receipt, reader.GetString(1), reader.GetInt64(2)));
            }

            return received;
        }, cancellationToken);

    public Task CompleteAsync(QueuedMessage message, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) => Execute(connection, transaction, "DELETE FROM queue_message WHERE id = $id AND receipt = $receipt",
            ("$id", message.MessageId), ("$receipt", message.Receipt)), cancellationToken);

    public async Task RetryAsync(QueuedMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        await WriteAsync((connection, transaction) => Execute(connection, transaction, "UPDATE queue_message SET visible_at = $visible_at, receipt = NULL WHERE id = $id AND receipt = $receipt",
            ("$visible_at", (time.GetUtcNow() + delay).UtcTicks), ("$id", message.MessageId), ("$receipt", message.Receipt)), cancellationToken);
        Arrived([message.Queue]);
    }

    public Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) => Execute(connection, transaction, "UPDATE queue_message SET queue = $poison, visible_at = $now, dequeue_count = 0, receipt = NULL WHERE id = $id AND receipt = $receipt",
            ("$poison", StageQueues.PoisonOf(message.Queue)), ("$now", time.GetUtcNow().UtcTicks), ("$id", message.MessageId), ("$receipt", message.Receipt)), cancellationToken);

    public Task<int> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        using var connection = openConnection();
        using var command = SqliteFhirStore.Command(connection, "SELECT count(*) FROM queue_message WHERE queue = $queue", ("$queue", queue));
        return Task.FromResult(Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task<IReadOnlyList<StageMessage>> PeekAsync(string queue, int maxMessages, CancellationToken cancellationToken = default)
    {
        using var connection = openConnection();
        using var command = SqliteFhirStore.Command(connection, "SELECT body FROM queue_message WHERE queue = $queue ORDER BY id LIMIT $max", ("$queue", queue), ("$max", maxMessages));
        using var reader = command.ExecuteReader();
        var messages = new List<StageMessage>();
        while (reader.Read())
        {
            messages.Add(new StageMessage(queue, reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<StageMessage>>(messages);
    }

    public async Task WaitAsync(string queue, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (NextVisibleAt(queue) is { } next && next - time.GetUtcNow() < timeout)
        {
            timeout = next - time.GetUtcNow();
        }

        if (timeout > TimeSpan.Zero)
        {
            await ArrivalOf(queue).WaitAsync(timeout, cancellationToken);
        }
    }

    /// <summary>Wakes the receiver waiting on each queue: messages were committed or sent to it.</summary>
    public void Arrived(IEnumerable<string> queues)
    {
        foreach (var queue in queues.Distinct(StringComparer.Ordinal))
        {
            var arrival = ArrivalOf(queue);
            lock (arrival)
            {
                if (arrival.CurrentCount == 0)
                {
                    arrival.Release();
                }
            }
        }
    }

    private SemaphoreSlim ArrivalOf(string queue) => _arrivals.GetOrAdd(queue, _ => new SemaphoreSlim(0, 1));

    /// <summary>When the queue's next message hidden now (delayed, or leased) becomes visible; null when it holds none.</summary>
    private DateTimeOffset? NextVisibleAt(string queue)
    {
        using var connection = openConnection();
        using var command = SqliteFhirStore.Command(connection, "SELECT min(visible_at) FROM queue_message WHERE queue = $queue", ("$queue", queue));
        return command.ExecuteScalar() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    // The queue's own writes (receipts, completions) need not reach the disk before they return: lost by a power
    // failure, a message is received again, which every stage handles alike.
    private Task WriteAsync(Action<SqliteConnection, SqliteTransaction> write, CancellationToken cancellationToken) =>
        WriteAsync<bool>((connection, transaction) =>
        {
            write(connection, transaction);
            return true;
        }, cancellationToken);

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken) =>
        writer.WriteAsync(write, false, cancellationToken);

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = SqliteFhirStore.Command(connection, sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
