namespace Impress.Fhir.Storage.Tests;

/// <summary>What every store's pipeline queues must do: hand over a commit's messages with it, and keep them until handled.</summary>
public abstract partial class FhirStoreContract
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_commits_messages_are_queued_with_it_and_gone_once_completed()
    {
        var store = await CreateStoreAsync();
        var queue = QueueOf(store);

        await store.CommitAsync(new StoreCommit(
            [new ResourceWrite(Version("Patient", "p1", 1, T0, "{}"), 0, [])],
            [],
            [new StageMessage(StageQueues.Match, "Patient/p1"), new StageMessage(StageQueues.Publish, "Task/t1")]));

        var match = Assert.Single(await queue.ReceiveAsync(StageQueues.Match, 10, Lease));
        Assert.Equal((StageQueues.Match, "Patient/p1", 1L), (match.Queue, match.Body, match.DequeueCount));
        Assert.Equal("Task/t1", Assert.Single(await queue.ReceiveAsync(StageQueues.Publish, 10, Lease)).Body);
        Assert.Empty(await queue.ReceiveAsync(StageQueues.Match, 10, Lease));

        await queue.CompleteAsync(match);
        Assert.Equal(0, await queue.CountAsync(StageQueues.Match));
        Assert.Equal(1, await queue.CountAsync(StageQueues.Publish));
    }

    [Fact]
    public async Task A_commit_that_fails_queues_none_of_its_messages()
    {
        var store = await CreateStoreAsync();
        var queue = QueueOf(store);
        await store.CommitAsync(new StoreCommit([new ResourceWrite(Version("Patient", "p1", 1, T0, "{}"), 0, [])], [new UniqueClaim("Patient|sys|1", "Patient", "p1")]));

        await Assert.ThrowsAsync<UniqueClaimConflictException>(() => store.CommitAsync(new StoreCommit(
            [new ResourceWrite(Version("Patient", "p2", 1, T0, "{}"), 0, [])],
            [new UniqueClaim("Patient|sys|1", "Patient", "p2")],
            [new StageMessage(StageQueues.Match, "Patient/p2")])));
        await Assert.ThrowsAsync<VersionConflictException>(() => store.CommitAsync(new StoreCommit(
            [new ResourceWrite(Version("Patient", "p1", 6, T0, "{}"), 5, [])],
            [],
            [new StageMessage(StageQueues.Match, "Patient/p1")])));

        Assert.Empty(await queue.ReceiveAsync(StageQueues.Match, 10, Lease));
        Assert.Equal(0, await queue.CountAsync(StageQueues.Match));
    }

    [Fact]
    public async Task A_message_whose_lease_runs_out_comes_back_counted_and_the_old_receipt_cannot_complete_it()
    {
        var store = await CreateStoreAsync();
        var queue = QueueOf(store);
        await queue.SendAsync([new StageMessage(StageQueues.Match, "Patient/p1")]);

        var first = Assert.Single(await queue.ReceiveAsync(StageQueues.Match, 10, TimeSpan.FromSeconds(1)));
        Assert.Empty(await queue.ReceiveAsync(StageQueues.Match, 10, Lease));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = Assert.Single(await queue.ReceiveAsync(StageQueues.Match, 10, Lease));

        Assert.Equal((first.MessageId, 2L), (second.MessageId, second.DequeueCount));
        await queue.CompleteAsync(first);
        Assert.Equal(1, await queue.CountAsync(StageQueues.Match));
        await queue.CompleteAsync(second);
        Assert.Equal(0, await queue.CountAsync(StageQueues.Match));
    }

    [Fact]
    public async Task A_retried_message_waits_its_delay_and_a_poisoned_one_stays_visible_in_the_poison_queue()
    {
        var store = await CreateStoreAsync();
        var queue = QueueOf(store);
        await queue.SendAsync([new StageMessage(StageQueues.Publish, "Task/t1"), new StageMessage(StageQueues.Publish, "Task/later", TimeSpan.FromMinutes(5))]);

        var received = Assert.Single(await queue.ReceiveAsync(StageQueues.Publish, 10, Lease));
        await queue.RetryAsync(received, TimeSpan.FromSeconds(1));
        Assert.Empty(await queue.ReceiveAsync(StageQueues.Publish, 10, Lease));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var again = Assert.Single(await queue.ReceiveAsync(StageQueues.Publish, 10, Lease));
        Assert.Equal(("Task/t1", 2L), (again.Body, again.DequeueCount));

        await queue.PoisonAsync(again);

        Assert.Equal(1, await queue.CountAsync(StageQueues.Publish));
        Assert.Equal(1, await queue.CountAsync(StageQueues.PoisonOf(StageQueues.Publish)));
        Assert.Equal("Task/t1", Assert.Single(await queue.PeekAsync(StageQueues.PoisonOf(StageQueues.Publish), 10)).Body);
        Assert.Empty(await queue.ReceiveAsync(StageQueues.Publish, 10, Lease));
        Assert.Equal("Task/t1", Assert.Single(await queue.ReceiveAsync(StageQueues.PoisonOf(StageQueues.Publish), 10, Lease)).Body);
    }
}
