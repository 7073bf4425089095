using Impress.Fhir.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Tests;

/// <summary>The embedded store meets the contract, and what is particular to it: WAL, migrations, queries by index.</summary>
public sealed class SqliteFhirStoreTests : FhirStoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "impress-sqlite-tests-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteFhirStore> _stores = [];

    protected override Task<IFhirStore> CreateStoreAsync() => Task.FromResult<IFhirStore>(Open(Guid.NewGuid().ToString("N")));

    protected override IStageQueue QueueOf(IFhirStore store) => ((SqliteFhirStore)store).Queue;

    [Fact]
    public void The_database_is_in_wal_mode_at_the_current_schema_version()
    {
        var store = Open("wal");

        using var connection = new SqliteConnection($"Data Source={store.DatabasePath}");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Reopening_a_database_keeps_what_was_committed()
    {
        var first = Open("reopen");
        await first.CommitAsync(StoreCommit.Of(new ResourceWrite(Version("Patient", "p1", 1, DateTimeOffset.UnixEpoch, "{}"), 0, [new SearchIndexEntry("identifier", "sys", "1")])));
        first.Dispose();

        var again = Open("reopen");

        Assert.Equal(1, (await again.ReadAsync("Patient", "p1"))!.VersionId);
        Assert.Single((await again.SearchAsync(Query("Patient", Criterion("identifier", "sys", "1")))).Resources);
    }

    [Fact]
    public void A_database_from_a_newer_release_is_refused_with_a_clear_message()
    {
        var path = Open("newer").DatabasePath;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Open("newer"));

        Assert.Contains("schema version 99", refused.Message);
    }

    [Theory]
    [InlineData("identifier", "sys", "1")]
    [InlineData("identifier", null, "1")]
    [InlineData("identifier", "sys", null)]
    public void Search_finds_ids_through_the_token_index_without_scanning_resources(string parameter, string? system, string? value)
    {
        var store = Open("plan");
        using var connection = new SqliteConnection($"Data Source={store.DatabasePath}");
        connection.Open();
        using var search = SqliteSearchPlan(connection, Query("Patient", Criterion(parameter, system, value)));

        var plan = string.Join("\n", Rows(search));

        Assert.Contains("search_token", plan);
        Assert.DoesNotContain("SCAN c", plan);
        Assert.DoesNotContain("SCAN v", plan);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private SqliteFhirStore Open(string name)
    {
        var store = SqliteFhirStore.Open(new SqliteStoreOptions { DataDirectory = _directory, FileName = name + ".db" });
        _stores.Add(store);
        return store;
    }

    private static SqliteCommand SqliteSearchPlan(SqliteConnection connection, SearchQuery query)
    {
        var command = SqliteSearch.Build(connection, query);
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        return command;
    }

    private static IEnumerable<string> Rows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(3);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
