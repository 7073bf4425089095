using Azure.Data.Tables;
using Impress.Fhir.Storage.Azure;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Storage.Tests;

/// <summary>One Azurite for the Azure store's tests.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();

    /// <summary>A store of its own (tables and container named for it) in the shared Azurite.</summary>
    public Task<AzureFhirStore> NewStoreAsync() => OpenStoreAsync(NewName(), TimeProvider.System);

    /// <summary>
    /// The store named <paramref name="name"/>, as one more instance of a scaled-out server opens it (what one
    /// instance wrote, another reads).
    /// </summary>
    public Task<AzureFhirStore> OpenStoreAsync(string name, TimeProvider time) => AzureFhirStore.OpenAsync(Options(name), time);

    public AzureStoreOptions Options(string name) => new()
    {
        ConnectionString = Azurite.ConnectionString,
        ContainerName = name,
        TablePrefix = name,
        AbandonedCommitAge = TimeSpan.FromMinutes(2),
    };

    public static string NewName() => "t" + Guid.NewGuid().ToString("N")[..12];
}

/// <summary>The Azure store meets the contract against Azurite, and is all or nothing when its writer dies.</summary>
public sealed class AzureFhirStoreTests(AzuriteFixture azurite) : FhirStoreContract, IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly CancellationTokenSource _end = new();

    protected override async Task<IFhirStore> CreateStoreAsync() => await azurite.NewStoreAsync();

    protected override IStageQueue QueueOf(IFhirStore store) => ((AzureFhirStore)store).Queue;

    [Fact]
    public async Task A_commit_whose_writer_dies_before_deciding_is_invisible_then_taken_over_and_swept()
    {
        var name = AzuriteFixture.NewName();
        var clock = new ManualClock(T0);
        var dying = await azurite.OpenStoreAsync(name, clock);
        dying.OnCommitStep = (step, _) => step == "rows" ? Task.Delay(Timeout.Infinite, _end.Token) : Task.CompletedTask;
        _ = dying.CommitAsync(Report("p1", "o1"));
        var other = await azurite.OpenStoreAsync(name, clock);
        await WaitUntilAsync(async () => await RowCountAsync(name, "versions") == 2);

        Assert.Null(await other.ReadAsync("Patient", "p1"));
        Assert.Null(await other.ReadAsync("Observation", "o1"));
        Assert.Null(await other.FindClaimAsync("Patient|sys|1"));
        Assert.Empty((await other.SearchAsync(Query("Observation", Criterion("subject", null, "Patient/p1")))).Resources);
        await Assert.ThrowsAsync<UniqueClaimConflictException>(() => other.CommitAsync(Report("p2", "o2")));

        clock.Advance(TimeSpan.FromMinutes(3));
        await other.CommitAsync(Report("p1", "o1"));
        Assert.Equal(1, (await other.ReadAsync("Patient", "p1"))!.VersionId);
        Assert.Equal("Patient", (await other.FindClaimAsync("Patient|sys|1"))!.Type);

        await other.SweepAsync();
        Assert.Equal(0, await RowCountAsync(name, "commits", "State eq 'pending'"));
        Assert.Equal(2, await RowCountAsync(name, "versions"));
        Assert.Single((await other.SearchAsync(Query("Observation", Criterion("subject", null, "Patient/p1")))).Resources);
    }

    [Fact]
    public async Task A_commit_whose_writer_dies_after_deciding_is_read_whole_and_settled_by_the_sweeper()
    {
        var name = AzuriteFixture.NewName();
        var clock = new ManualClock(T0);
        var dying = await azurite.OpenStoreAsync(name, clock);
        dying.OnCommitStep = (step, _) => step == "decided" ? Task.Delay(Timeout.Infinite, _end.Token) : Task.CompletedTask;
        _ = dying.CommitAsync(Report("p1", "o1"));
        await WaitUntilAsync(async () => await RowCountAsync(name, "commits", "State eq 'committed'") == 1);
        var other = await azurite.OpenStoreAsync(name, clock);

        Assert.Equal(1, (await other.ReadAsync("Observation", "o1"))!.VersionId);
        Assert.Equal("p1", (await other.FindClaimAsync("Patient|sys|1"))!.Id);
        Assert.Single((await other.SearchAsync(Query("Observation", Criterion("subject", null, "Patient/p1")))).Resources);

        clock.Advance(TimeSpan.FromMinutes(3));
        var (aborted, settled) = await other.SweepAsync();

        Assert.Equal((0, 1), (aborted, settled));
        Assert.Equal(["o1"], (await other.SearchAsync(Query("Observation"))).Resources.Select(r => r.Id));
    }

    [Fact]
    public async Task The_messages_of_a_commit_whose_writer_died_after_deciding_are_sent_by_the_sweeper_and_an_aborted_ones_never()
    {
        var name = AzuriteFixture.NewName();
        var clock = new ManualClock(T0);
        var decided = await azurite.OpenStoreAsync(name, clock);
        decided.OnCommitStep = (step, _) => step == "decided" ? Task.Delay(Timeout.Infinite, _end.Token) : Task.CompletedTask;
        _ = decided.CommitAsync(Report("p1", "o1") with { Messages = [new StageMessage(StageQueues.Match, "Patient/p1")] });
        await WaitUntilAsync(async () => await RowCountAsync(name, "commits", "State eq 'committed'") == 1);
        var undecided = await azurite.OpenStoreAsync(name, clock);
        undecided.OnCommitStep = (step, _) => step == "rows" ? Task.Delay(Timeout.Infinite, _end.Token) : Task.CompletedTask;
        _ = undecided.CommitAsync(new StoreCommit(
            [new ResourceWrite(Version("Patient", "p2", 1, T0, "{}"), 0, [])], [], [new StageMessage(StageQueues.Match, "Patient/p2")]));
        await WaitUntilAsync(async () => await RowCountAsync(name, "versions") == 3);
        var sweeper = await azurite.OpenStoreAsync(name, clock);
        Assert.Equal(0, await sweeper.Queue.CountAsync(StageQueues.Match));

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal((1, 1), await sweeper.SweepAsync());

        var sent = await sweeper.Queue.ReceiveAsync(StageQueues.Match, 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["Patient/p1"], sent.Select(m => m.Body));
    }

    [Fact]
    public async Task A_claim_payload_larger_than_a_table_property_is_kept_whole()
    {
        var store = await azurite.NewStoreAsync();
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);

        await store.CommitAsync(new StoreCommit([new ResourceWrite(Version("DiagnosticReport", "r1", 1, T0, "{}"), 0, [])], [new UniqueClaim("DiagnosticReport|sys|1", "DiagnosticReport", "r1", payload)]));

        Assert.Equal(payload, (await store.FindClaimAsync("DiagnosticReport|sys|1"))!.Payload.ToArray());
    }

    public void Dispose()
    {
        _end.Cancel();
        _end.Dispose();
    }

    private static StoreCommit Report(string patient, string observation) => new(
        [
            new ResourceWrite(Version("Patient", patient, 1, T0, "{}"), 0, [new SearchIndexEntry("identifier", "sys", "1")]),
            new ResourceWrite(Version("Observation", observation, 1, T0, "{}"), 0, [new SearchIndexEntry("subject", null, "Patient/" + patient)]),
        ],
        [new UniqueClaim("Patient|sys|1", "Patient", patient)]);

    private async Task<int> RowCountAsync(string store, string table, string? filter = null)
    {
        var client = new TableClient(azurite.Azurite.ConnectionString, store + table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>(filter))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The dying writer never got that far.");
            await Task.Delay(20);
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
