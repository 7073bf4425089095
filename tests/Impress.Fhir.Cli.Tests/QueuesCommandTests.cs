using Impress.Fhir.Storage;
using Impress.Fhir.Storage.Sqlite;

namespace Impress.Fhir.Cli.Tests;

public sealed class QueuesCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("impress-queues").FullName;

    public void Dispose()
    {
        SqliteStoreCleanup();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Queues_lists_waiting_and_poison_messages_and_sends_poison_back_to_its_stage()
    {
        using (var store = SqliteFhirStore.Open(new SqliteStoreOptions { DataDirectory = _data }))
        {
            await store.Queue.SendAsync([new StageMessage(StageQueues.Match, "Patient/p1"), new StageMessage(StageQueues.Publish, "Task/t1")]);
            var received = Assert.Single(await store.Queue.ReceiveAsync(StageQueues.Publish, 1, TimeSpan.FromMinutes(1)));
            await store.Queue.PoisonAsync(received);
        }

        var listed = CliRun.Of("queues", "--data", _data, "--poison");

        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Matches(@"match\s+1\s+0", listed.Output);
        Assert.Matches(@"publish\s+0\s+1", listed.Output);
        Assert.Contains("publish-poison: Task/t1", listed.Output, StringComparison.Ordinal);

        var retried = CliRun.Of("queues", "--data", _data, "--retry-poison");

        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Contains("publish: 1 poison messages sent back", retried.Output, StringComparison.Ordinal);
        Assert.Matches(@"publish\s+1\s+0", retried.Output);
    }

    [Fact]
    public void A_folder_without_a_store_is_an_error_not_a_new_store()
    {
        var empty = Path.Combine(_data, "nothing-here");

        var run = CliRun.Of("queues", "--data", empty);

        Assert.Equal(ExitCodes.UnreadableOrUsage, run.ExitCode);
        Assert.Contains("no store", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(empty));
    }

    private static void SqliteStoreCleanup() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
