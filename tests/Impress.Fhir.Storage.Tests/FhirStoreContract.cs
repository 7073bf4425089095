using System.Text;

namespace Impress.Fhir.Storage.Tests;

/// <summary>
/// What every <see cref="IFhirStore"/> must do. Each backend runs this suite by deriving from it and handing out a
/// fresh, empty store per test.
/// </summary>
public abstract partial class FhirStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A new store with nothing in it.</summary>
    protected abstract Task<IFhirStore> CreateStoreAsync();

    /// <summary>The pipeline queues of a store this suite created.</summary>
    protected abstract IStageQueue QueueOf(IFhirStore store);

    [Fact]
    public async Task A_resource_that_never_existed_reads_as_null()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.ReadAsync("Patient", "missing"));
        Assert.Null(await store.ReadVersionAsync("Patient", "missing", 1));
        Assert.Empty(await store.HistoryAsync("Patient", "missing"));
    }

    [Fact]
    public async Task A_created_resource_reads_back_with_its_version_time_and_content()
    {
        var store = await CreateStoreAsync();
        var version = Version("Patient", "p1", 1, T0, """{"resourceType":"Patient","id":"p1"}""");

        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(version, 0, [])));

        var read = await store.ReadAsync("Patient", "p1");
        Assert.NotNull(read);
        Assert.Equal(("Patient", "p1", 1L, T0, false), (read.Type, read.Id, read.VersionId, read.LastUpdated, read.IsDeleted));
        Assert.Equal("""{"resourceType":"Patient","id":"p1"}""", Text(read));
    }

    [Fact]
    public async Task Updates_keep_every_version_readable_and_history_lists_them_newest_first()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 1, T0, "{\"v\":1}"), 0, [])));
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 2, T0.AddMinutes(1), "{\"v\":2}"), 1, [])));
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Deleted("Patient", "p1", 3, T0.AddMinutes(2)), 2, [])));

        var current = await store.ReadAsync("Patient", "p1");
        Assert.NotNull(current);
        Assert.True(current.IsDeleted);
        Assert.Equal(3, current.VersionId);
        Assert.Equal("{\"v\":1}", Text((await store.ReadVersionAsync("Patient", "p1", 1))!));
        Assert.Equal("{\"v\":2}", Text((await store.ReadVersionAsync("Patient", "p1", 2))!));
        Assert.Null(await store.ReadVersionAsync("Patient", "p1", 4));
        Assert.Equal([3L, 2L, 1L], (await store.HistoryAsync("Patient", "p1")).Select(v => v.VersionId));
    }

    [Fact]
    public async Task A_stale_expected_version_fails_the_whole_commit()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 1, T0, "{}"), 0, [])));

        var commit = new StoreCommit(
        [
            new ResourceWrite(Version("Observation", "o1", 1, T0, "{}"), 0, [new SearchIndexEntry("subject", null, "Patient/p1")]),
            new ResourceWrite(Version("Patient", "p1", 1, T0, "{\"again\":true}"), 0, []),
        ], [new UniqueClaim("Observation|key", "Observation", "o1")]);

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(() => store.CommitAsync(commit));

        Assert.Equal(("Patient", "p1", 0L, 1L), (conflict.Type, conflict.Id, conflict.Expected, conflict.Actual));
        Assert.Null(await store.ReadAsync("Observation", "o1"));
        Assert.Null(await store.FindClaimAsync("Observation|key"));
        Assert.Empty((await store.SearchAsync(Query("Observation", Criterion("subject", null, "Patient/p1")))).Resources);
        Assert.Equal("{}", Text((await store.ReadAsync("Patient", "p1"))!));
    }

    [Fact]
    public async Task Updating_a_resource_that_does_not_exist_with_an_expected_version_conflicts()
    {
        var store = await CreateStoreAsync();

        var conflict = await Assert.ThrowsAsync<VersionConflictException>(
            () => store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 3, T0, "{}"), 2, []))));

        Assert.Equal(0, conflict.Actual);
    }

    [Fact]
    public async Task A_claim_is_held_once_and_found_with_its_payload()
    {
        var store = await CreateStoreAsync();
        var payload = Encoding.UTF8.GetBytes("receipt");
        await store.CommitAsync(new StoreCommit(
            [new ResourceWrite(Version("Patient", "p1", 1, T0, "{}"), 0, [])],
            [new UniqueClaim("Patient|sys|1", "Patient", "p1", payload)]));

        var second = new StoreCommit(
            [new ResourceWrite(Version("Patient", "p2", 1, T0, "{}"), 0, [])],
            [new UniqueClaim("Patient|sys|1", "Patient", "p2")]);
        var conflict = await Assert.ThrowsAsync<UniqueClaimConflictException>(() => store.CommitAsync(second));

        Assert.Equal("Patient|sys|1", conflict.Key);
        Assert.Equal(("Patient", "p1"), (conflict.Owner.Type, conflict.Owner.Id));
        Assert.Null(await store.ReadAsync("Patient", "p2"));
        var owner = await store.FindClaimAsync("Patient|sys|1");
        Assert.NotNull(owner);
        Assert.Equal(("Patient", "p1", "receipt"), (owner.Type, owner.Id, Encoding.UTF8.GetString(owner.Payload.Span)));
        Assert.Null(await store.FindClaimAsync("Patient|sys|2"));
    }

    [Fact]
    public async Task Racing_commits_for_one_claim_store_exactly_one_resource()
    {
        var store = await CreateStoreAsync();

        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CommitAsync(new StoreCommit(
                    [new ResourceWrite(Version("Patient", $"p{i}", 1, T0, "{}"), 0, [new SearchIndexEntry("identifier", "sys", "same")])],
                    [new UniqueClaim("Patient|sys|same", "Patient", $"p{i}")]));
                return true;
            }
            catch (UniqueClaimConflictException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        var found = await store.SearchAsync(Query("Patient", Criterion("identifier", "sys", "same")));
        var winner = Assert.Single(found.Resources);
        Assert.Equal(winner.Id, (await store.FindClaimAsync("Patient|sys|same"))!.Id);
    }

    [Fact]
    public async Task Racing_updates_from_one_version_let_exactly_one_through()
    {
        var store = await CreateStoreAsync();
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 1, T0, "{}"), 0, [])));

        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 2, T0, $"{{\"writer\":{i}}}"), 1, [])));
                return true;
            }
            catch (VersionConflictException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        Assert.Equal([2L, 1L], (await store.HistoryAsync("Patient", "p1")).Select(v => v.VersionId));
    }

    [Fact]
    public async Task Token_search_matches_system_and_code_code_alone_or_any_code_in_a_system()
    {
        var store = await CreateStoreAsync();
        await Create(store, "Observation", "o1", new SearchIndexEntry("code", "http://loinc.org", "69548-6"));
        await Create(store, "Observation", "o2", new SearchIndexEntry("code", "http://loinc.org", "94076-7"));
        await Create(store, "Observation", "o3", new SearchIndexEntry("code", "urn:local", "69548-6"));
        await Create(store, "Observation", "o4", new SearchIndexEntry("code", null, "69548-6"));

        Assert.Equal(["o1"], await Ids(store, Query("Observation", Criterion("code", "http://loinc.org", "69548-6"))));
        Assert.Equal(["o1", "o3", "o4"], await Ids(store, Query("Observation", Criterion("code", null, "69548-6"))));
        Assert.Equal(["o1", "o2"], await Ids(store, Query("Observation", Criterion("code", "http://loinc.org", null))));
        Assert.Equal(["o4"], await Ids(store, Query("Observation", Criterion("code", "", "69548-6"))));
        Assert.Empty(await Ids(store, Query("Patient", Criterion("code", null, "69548-6"))));
    }

    [Fact]
    public async Task Criteria_are_combined_with_and_and_their_values_with_or()
    {
        var store = await CreateStoreAsync();
        await Create(store, "CarePlan", "c1", new("subject", null, "Patient/a"), new("status", null, "active"));
        await Create(store, "CarePlan", "c2", new("subject", null, "Patient/a"), new("status", null, "draft"));
        await Create(store, "CarePlan", "c3", new("subject", null, "Patient/b"), new("status", null, "active"));
        await Create(store, "CarePlan", "c4", new("subject", null, "Patient/b"), new("status", null, "revoked"));

        var activeForA = Query("CarePlan", Criterion("subject", null, "Patient/a"), Criterion("status", null, "active"));
        var activeOrDraft = Query("CarePlan", new SearchCriterion("status", [new TokenMatch(null, "active"), new TokenMatch(null, "draft")]));

        Assert.Equal(["c1"], await Ids(store, activeForA));
        Assert.Equal(["c1", "c2", "c3"], await Ids(store, activeOrDraft));
    }

    [Fact]
    public async Task A_page_of_none_and_a_criterion_without_values_find_nothing()
    {
        var store = await CreateStoreAsync();
        await Create(store, "CarePlan", "c1", new SearchIndexEntry("status", null, "active"));

        var none = await store.SearchAsync(Query("CarePlan") with { Count = 0 });
        var unmeetable = await store.SearchAsync(Query("CarePlan", new SearchCriterion("status", [])));

        Assert.Equal((0, null), (none.Resources.Count, none.ContinuationToken));
        Assert.Equal((0, null), (unmeetable.Resources.Count, unmeetable.ContinuationToken));
        Assert.Single((await store.SearchAsync(Query("CarePlan"))).Resources);
    }

    [Fact]
    public async Task Search_sees_only_current_versions_and_skips_deleted_resources()
    {
        var store = await CreateStoreAsync();
        await Create(store, "Patient", "p1", new SearchIndexEntry("identifier", "sys", "old"));
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 2, T0, "{}"), 1, [new SearchIndexEntry("identifier", "sys", "new")])));
        await Create(store, "Patient", "p2", new SearchIndexEntry("identifier", "sys", "gone"));
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Deleted("Patient", "p2", 2, T0), 1, [])));

        Assert.Empty(await Ids(store, Query("Patient", Criterion("identifier", "sys", "old"))));
        Assert.Equal(["p1"], await Ids(store, Query("Patient", Criterion("identifier", "sys", "new"))));
        Assert.Empty(await Ids(store, Query("Patient", Criterion("identifier", "sys", "gone"))));
        Assert.Equal(["p1"], await Ids(store, Query("Patient")));
    }

    [Fact]
    public async Task Search_filters_by_id_and_last_updated()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", $"p{i}", 1, T0.AddHours(i), "{}"), 0, [])));
        }

        var byId = Query("Patient") with { Ids = ["p1", "p3", "nope"] };
        var window = Query("Patient") with
        {
            LastUpdated = [new InstantBound(InstantComparator.GreaterOrEqual, T0.AddHours(1)), new InstantBound(InstantComparator.LessThan, T0.AddHours(3))],
        };
        var after = Query("Patient") with { LastUpdated = [new InstantBound(InstantComparator.GreaterThan, T0.AddHours(3))] };

        Assert.Equal(["p1", "p3"], await Ids(store, byId));
        Assert.Equal(["p1", "p2"], await Ids(store, window));
        Assert.Equal(["p4"], await Ids(store, after));
    }

    [Fact]
    public async Task Paging_visits_every_match_exactly_once()
    {
        var store = await CreateStoreAsync();
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            expected.Add($"o{i:D2}");
            await Create(store, "Observation", $"o{i:D2}", new SearchIndexEntry("subject", null, "Patient/a"));
        }

        await Create(store, "Observation", "other", new SearchIndexEntry("subject", null, "Patient/b"));

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await store.SearchAsync(Query("Observation", Criterion("subject", null, "Patient/a")) with { Count = 10, ContinuationToken = token });
            Assert.InRange(page.Resources.Count, 1, 10);
            seen.AddRange(page.Resources.Select(r => r.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(expected, seen.Order());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("o05")]
    [InlineData("aW1wcmVzcw")]
    public async Task A_page_token_the_store_did_not_issue_is_refused(string token)
    {
        var store = await CreateStoreAsync();
        await Create(store, "Observation", "o01", new SearchIndexEntry("subject", null, "Patient/a"));

        await Assert.ThrowsAsync<FormatException>(() => store.SearchAsync(Query("Observation") with { ContinuationToken = token }));
    }

    [Fact]
    public async Task One_commit_of_many_resources_is_read_whole()
    {
        var store = await CreateStoreAsync();
        var writes = Enumerable.Range(0, 60)
            .Select(i => new ResourceWrite(Version("Observation", $"o{i}", 1, T0, $"{{\"n\":{i}}}"), 0, [new SearchIndexEntry("subject", null, "Patient/a")]))
            .ToList();

        await store.CommitAsync(new StoreCommit(writes, []));

        Assert.Equal(60, (await AllIds(store, Query("Observation", Criterion("subject", null, "Patient/a")))).Count);
        Assert.Equal("{\"n\":59}", Text((await store.ReadAsync("Observation", "o59"))!));
    }

    protected static ResourceVersion Version(string type, string id, long versionId, DateTimeOffset lastUpdated, string json) =>
        new(type, id, versionId, lastUpdated, false, Encoding.UTF8.GetBytes(json));

    protected static ResourceVersion Deleted(string type, string id, long versionId, DateTimeOffset lastUpdated) =>
        new(type, id, versionId, lastUpdated, true, ReadOnlyMemory<byte>.Empty);

    protected static string Text(ResourceVersion version) => Encoding.UTF8.GetString(version.Json.Span);

    protected static SearchQuery Query(string type, params SearchCriterion[] criteria) => new(type, criteria, null, [], 100);

    protected static SearchCriterion Criterion(string parameter, string? system, string? value) => new(parameter, [new TokenMatch(system, value)]);

    private static Task Create(IFhirStore store, string type, string id, params SearchIndexEntry[] index) =>
        store.CommitAsync(StoreCommit.Of(new ResourceWrite(Version(type, id, 1, T0, "{}"), 0, index)));

    private static async Task<List<string>> Ids(IFhirStore store, SearchQuery query) =>
        (await AllIds(store, query)).Order().ToList();

    private static async Task<List<string>> AllIds(IFhirStore store, SearchQuery query)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await store.SearchAsync(query with { ContinuationToken = token });
            ids.AddRange(page.Resources.Select(r => r.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return ids;
    }
}
