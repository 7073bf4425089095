using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Impress.Fhir.Storage.Azure;

/// <summary>
/// Commit records: the one place a commit's fate is decided. A commit starts pending; its writer turns it committed,
/// or another writer (or the sweeper) that finds it abandoned turns it aborted. Both are one conditional update of
/// the same row, so exactly one of them happens, and once decided a commit never changes again.
/// </summary>
internal sealed class CommitLog(TableClient commits, TimeProvider time, TimeSpan abandonedAge)
{
    /// <summary>Decisions seen, kept: they never change. Bounded, since every commit has one.</summary>
    private readonly ConcurrentDictionary<string, string> _decided = new(StringComparer.Ordinal);
    private int _remembered;

    public static string NewCommitId() => Guid.NewGuid().ToString("N");

    public async Task<CommitEntity> StartAsync(string commitId, CancellationToken cancellationToken)
    {
        var entity = new CommitEntity { PartitionKey = TableKeys.Bucket(commitId), RowKey = commitId, State = CommitEntity.Pending, Started = time.GetUtcNow() };
        var added = await commits.AddEntityAsync(entity, cancellationToken);
        entity.ETag = added.Headers.ETag ?? default;
        return entity;
    }

    /// <summary>Turns a pending commit into <paramref name="state"/>; false when it was decided otherwise first.</summary>
    public async Task<bool> DecideAsync(CommitEntity commit, string state, CancellationToken cancellationToken)
    {
        try
        {
            commit.State = state;
            var updated = await commits.UpdateEntityAsync(commit, commit.ETag, TableUpdateMode.Replace, cancellationToken);
            commit.ETag = updated.Headers.ETag ?? default;
            Remember(commit.RowKey, state);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Whether the commit that wrote a row is committed (pending and aborted commits are invisible to readers).</summary>
    public async Task<bool> IsCommittedAsync(CommitOwnedEntity row, CancellationToken cancellationToken) =>
        row.Committed || await StateAsync(row.CommitId, cancellationToken) == CommitEntity.Committed;

    /// <summary>
    /// The state of a commit whose row stands in a writer's way: when it is pending for longer than any live commit
    /// takes, it is aborted here, and the row may be taken over.
    /// </summary>
    public async Task<string> ResolveAsync(string commitId, CancellationToken cancellationToken)
    {
        var commit = await GetAsync(commitId, cancellationToken);
        if (commit is null)
        {
            // A row whose commit record is gone: its commit was aborted and swept.
            return CommitEntity.Aborted;
        }

        if (commit.State == CommitEntity.Pending && time.GetUtcNow() - commit.Started > abandonedAge)
        {
            return await DecideAsync(commit, CommitEntity.Aborted, cancellationToken) ? CommitEntity.Aborted : await StateAsync(commitId, cancellationToken);
        }

        Remember(commitId, commit.State);
        return commit.State;
    }

    public async Task<string> StateAsync(string commitId, CancellationToken cancellationToken)
    {
        if (_decided.TryGetValue(commitId, out var known))
        {
            return known;
        }

        var commit = await GetAsync(commitId, cancellationToken);
        var state = commit?.State ?? CommitEntity.Aborted;
        Remember(commitId, state);
        return state;
    }

    public async Task<CommitEntity?> GetAsync(string commitId, CancellationToken cancellationToken)
    {
        var found = await commits.GetEntityIfExistsAsync<CommitEntity>(TableKeys.Bucket(commitId), commitId, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public Task SettledAsync(CommitEntity commit, CancellationToken cancellationToken)
    {
        commit.Settled = true;
        return commits.UpdateEntityAsync(commit, ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    private void Remember(string commitId, string state)
    {
        if (state == CommitEntity.Pending)
        {
            return;
        }

        // Counted here: the dictionary's own Count takes every one of its locks.
        if (Interlocked.Increment(ref _remembered) > 100_000)
        {
            _decided.Clear();
            Volatile.Write(ref _remembered, 0);
        }

        _decided[commitId] = state;
    }
}
