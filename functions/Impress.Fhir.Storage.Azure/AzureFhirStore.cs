using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Impress.Fhir.Storage.Azure;

/// <summary>
/// The scale-out store, on Azure Storage: resource versions as blobs; their metadata, the search index, unique
/// claims and commit records in Table Storage. Any number of instances may share one account.
/// </summary>
/// <remarks>
/// <para>A commit spans many rows in many partitions, which Table Storage cannot write atomically, so atomicity
/// comes from a commit record. A commit first writes its record as pending, then its rows (each naming the commit),
/// then decides the record committed: the one step that makes everything visible. Readers take a row into account
/// only when its commit is committed, so they see a commit whole or not at all, also when its writer dies half
/// way.</para>
/// <para>A version row or a claim can be taken once: adding it fails when it exists, so two racing writers cannot
/// both write version 2 of a resource or both take an identifier. A row left by a commit that was aborted, or whose
/// writer died (pending for longer than <see cref="AzureStoreOptions.AbandonedCommitAge"/>), is taken over; such
/// orphans are also removed by <see cref="SweepAsync"/>.</para>
/// </remarks>
public sealed class AzureFhirStore : IFhirStore
{
    /// <summary>Table Storage keeps a binary property up to 64 KiB; larger claim payloads go to a blob.</summary>
    private const int MaxInlinePayload = 48 * 1024;

    /// <summary>The rows of one commit are independent of each other: written this many at a time, not one after another.</summary>
    private const int ConcurrentRequests = 16;

    private readonly StorageClients _storage;
    private readonly CommitLog _commits;
    private readonly TimeProvider _time;
    private readonly TimeSpan _abandonedAge;

    private AzureFhirStore(StorageClients storage, TimeProvider time, TimeSpan abandonedAge)
    {
        _storage = storage;
        _time = time;
        _abandonedAge = abandonedAge;
        _commits = new CommitLog(storage.Commits, time, abandonedAge);
        Queue = new AzureStageQueue(storage);
        ExportFiles = new AzureExportFileStore(storage.Exports);
    }

    /// <summary>The pipeline's queues (Azure Storage queues of the same account): a commit's messages are sent once it is committed.</summary>
    public IStageQueue Queue { get; }

    /// <summary>The files of export jobs, in the export container.</summary>
    public Impress.Fhir.Export.IExportFileStore ExportFiles { get; }

    /// <summary>Connects to the account and creates the container and tables when missing.</summary>
    public static async Task<AzureFhirStore> OpenAsync(AzureStoreOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await StorageClients.ConnectAsync(options, cancellationToken), time ?? TimeProvider.System, options.AbandonedCommitAge);

    /// <summary>A test's hook, called between the steps of a commit with the step's name ("rows", "decided") and the commit.</summary>
    internal Func<string, StoreCommit, Task>? OnCommitStep { get; set; }

    public async Task<ResourceVersion?> ReadAsync(string type, string id, CancellationToken cancellationToken = default) =>
        await CurrentAsync(type, id, cancellationToken) is { } current ? await LoadAsync(current, cancellationToken) : null;

    public async Task<ResourceVersion?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken = default)
    {
        var row = await _storage.Versions.GetEntityIfExistsAsync<VersionEntity>(TableKeys.Join(type, id), TableKeys.VersionRow(versionId), cancellationToken: cancellationToken);
        return row.HasValue && await _commits.IsCommittedAsync(row.Value!, cancellationToken) ? await LoadAsync(row.Value!, cancellationToken) : null;
    }

    public async Task<IReadOnlyList<ResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        var history = new List<ResourceVersion>();
        await foreach (var row in VersionRowsAsync(type, id, cancellationToken))
        {
            if (await _commits.IsCommittedAsync(row, cancellationToken))
            {
                history.Add(await LoadAsync(row, cancellationToken));
            }
        }

        return history;
    }

    public async Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        // A page of none (_count=0), or a criterion no value can meet: nothing to look up.
        if (query.Count <= 0 || query.Criteria.Any(c => c.AnyOf.Count == 0))
        {
            return new SearchPage([], null);
        }

        var after = query.ContinuationToken is { } token ? PageToken.Decode(token) : null;
        var candidates = await CandidatesAsync(query, cancellationToken);
        var found = new List<ResourceVersion>();
        foreach (var (id, indexedVersion) in candidates.Where(c => after is null || string.CompareOrdinal(c.Key, after) > 0).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (query.Ids is { } ids && !ids.Contains(id))
            {
                continue;
            }

            // The index may hold rows of versions since superseded (or not yet settled): the current version decides.
            var current = await CurrentAsync(query.Type, id, cancellationToken);
            if (current is null || current.Deleted || (indexedVersion is { } version && version != current.Version)
                || !query.LastUpdated.All(bound => bound.Holds(current.LastUpdated)))
            {
                continue;
            }

            if (found.Count == query.Count)
            {
                return new SearchPage(found, PageToken.Encode(found[^1].Id));
            }

            found.Add(await LoadAsync(current, cancellationToken));
        }

        return new SearchPage(found, null);
    }

    public async Task<ClaimOwner?> FindClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await _storage.Claims.GetEntityIfExistsAsync<ClaimEntity>(TableKeys.Bucket(key), TableKeys.Join(key), cancellationToken: cancellationToken);
        return row.HasValue && await _commits.IsCommittedAsync(row.Value!, cancellationToken) ? await OwnerAsync(row.Value!, cancellationToken) : null;
    }

    public async Task CommitAsync(StoreCommit commit, CancellationToken cancellationToken = default)
    {
        var commitId = CommitLog.NewCommitId();
        var written = Plan(commitId, commit);
        await written.SaveAsync(_storage.Blobs, cancellationToken);
        var record = await _commits.StartAsync(commitId, cancellationToken);
        try
        {
            await ForEachAsync(commit.Writes, (write, cancel) => WriteVersionAsync(write, written, cancel), cancellationToken);

            foreach (var claim in commit.Claims)
            {
                await ClaimAsync(claim, written, cancellationToken);
            }

            await WriteTokensAsync(commit.Writes, written, cancellationToken);
            await StepAsync("rows", commit);
        }
        catch
        {
            await AbandonAsync(record, written);
            throw;
        }

        if (!await _commits.DecideAsync(record, CommitEntity.Committed, cancellationToken))
        {
            // Another writer found this commit abandoned and aborted it; its rows are theirs to take over.
            var first = commit.Writes.FirstOrDefault()?.Version;
            throw new VersionConflictException(first?.Type ?? "", first?.Id ?? "", commit.Writes.FirstOrDefault()?.ExpectedCurrentVersion ?? 0, -1);
        }

        await StepAsync("decided", commit);
        await SendMessagesAsync(written, cancellationToken);
        await SettleAsync(record, written, cancellationToken);
    }

    /// <summary>
    /// Tidies up after writers that died: aborts commits pending for longer than any live commit takes and removes
    /// their rows, and settles committed ones whose writer stopped before finishing (the timer function and
    /// <c>impress serve</c> run this regularly). Returns how many commits it aborted and settled.
    /// </summary>
    public async Task<(int Aborted, int Settled)> SweepAsync(CancellationToken cancellationToken = default)
    {
        var aborted = 0;
        var settled = 0;
        var cutoff = _time.GetUtcNow() - _abandonedAge;
        await foreach (var record in _storage.Commits.QueryAsync<CommitEntity>(c => c.Settled == false, cancellationToken: cancellationToken))
        {
            if (record.Started > cutoff)
            {
                continue;
            }

            var rows = await CommitRows.LoadAsync(_storage.Blobs, record.RowKey, cancellationToken);
            if (record.State == CommitEntity.Pending && await _commits.DecideAsync(record, CommitEntity.Aborted, cancellationToken))
            {
                record.State = CommitEntity.Aborted;
            }

            if (record.State == CommitEntity.Aborted)
            {
                await RemoveAsync(rows, cancellationToken);
                await _storage.Commits.DeleteEntityAsync(record.PartitionKey, record.RowKey, cancellationToken: cancellationToken);
                await _storage.Blobs.DeleteBlobIfExistsAsync(CommitRows.BlobName(record.RowKey), cancellationToken: cancellationToken);
                aborted++;
            }
            else if (record.State == CommitEntity.Committed)
            {
                // Its writer may have sent some or all of the messages: sent again, since a stage handles a message twice alike.
                await SendMessagesAsync(rows, cancellationToken);
                await SettleAsync(record, rows, cancellationToken);
                settled++;
            }
        }

        return (aborted, settled);
    }

    /// <summary>Every row the commit will write, for its manifest.</summary>
    private static CommitRows Plan(string commitId, StoreCommit commit) => new(commitId)
    {
        Versions = [.. commit.Writes.Select(w => (TableKeys.Join(w.Version.Type, w.Version.Id), TableKeys.VersionRow(w.Version.VersionId)))],
        Claims = [.. commit.Claims.Select(c => (TableKeys.Bucket(c.Key), TableKeys.Join(c.Key)))],
        Tokens = [.. commit.Writes.SelectMany(TokenRows).Select(t => (t.PartitionKey, t.RowKey))],
        Messages = [.. commit.Messages],
    };

    /// <summary>Hands a committed commit's messages to their queues; before it is settled, so that a crash leaves them to the sweeper.</summary>
    private Task SendMessagesAsync(CommitRows rows, CancellationToken cancellationToken) => Queue.SendAsync(rows.Messages, cancellationToken);

    private async Task WriteVersionAsync(ResourceWrite write, CommitRows written, CancellationToken cancellationToken)
    {
        var version = write.Version;
        if (version.VersionId != write.ExpectedCurrentVersion + 1)
        {
            throw new ArgumentException($"{version.Reference} version {version.VersionId} does not follow version {write.ExpectedCurrentVersion}.", nameof(write));
        }

        var current = await CurrentAsync(version.Type, version.Id, cancellationToken);
        if ((current?.Version ?? 0) != write.ExpectedCurrentVersion)
        {
            throw new VersionConflictException(version.Type, version.Id, write.ExpectedCurrentVersion, current?.Version ?? 0);
        }

        var row = new VersionEntity
        {
            PartitionKey = TableKeys.Join(version.Type, version.Id),
            RowKey = TableKeys.VersionRow(version.VersionId),
            CommitId = written.CommitId,
            Type = version.Type,
            Id = version.Id,
            Version = version.VersionId,
            LastUpdated = version.LastUpdated,
            Deleted = version.IsDeleted,
            Tokens = string.Join('\n', TokenRows(write).Select(t => t.PartitionKey + "\t" + t.RowKey)),
        };

        // Taking the version row is what decides between racing writers: only then is the blob ours to write.
        if (!await TakeAsync(_storage.Versions, row, cancellationToken))
        {
            throw new VersionConflictException(version.Type, version.Id, write.ExpectedCurrentVersion, write.ExpectedCurrentVersion + 1);
        }

        await _storage.Blobs.GetBlobClient(BlobName(version.Type, version.Id, version.VersionId))
            .UploadAsync(BinaryData.FromBytes(version.Json), overwrite: true, cancellationToken);
    }

    private async Task ClaimAsync(UniqueClaim claim, CommitRows written, CancellationToken cancellationToken)
    {
        var row = new ClaimEntity
        {
            PartitionKey = TableKeys.Bucket(claim.Key),
            RowKey = TableKeys.Join(claim.Key),
            CommitId = written.CommitId,
            Key = claim.Key,
            Type = claim.Type,
            Id = claim.Id,
        };
        if (claim.Payload.Length > MaxInlinePayload)
        {
            row.PayloadBlob = "claims/" + written.CommitId + "/" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(claim.Key)));
            await _storage.Blobs.GetBlobClient(row.PayloadBlob).UploadAsync(BinaryData.FromBytes(claim.Payload), overwrite: true, cancellationToken);
        }
        else if (!claim.Payload.IsEmpty)
        {
            row.Payload = claim.Payload.ToArray();
        }

        if (!await TakeAsync(_storage.Claims, row, cancellationToken))
        {
            var holder = await _storage.Claims.GetEntityAsync<ClaimEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            throw new UniqueClaimConflictException(claim.Key, await OwnerAsync(holder.Value, cancellationToken));
        }

    }

    /// <summary>
    /// Adds a row that may exist only once. A row of an aborted (or abandoned) commit is replaced; false when a live
    /// or committed commit holds it.
    /// </summary>
    private async Task<bool> TakeAsync<T>(TableClient table, T row, CancellationToken cancellationToken) where T : CommitOwnedEntity
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await table.AddEntityAsync(row, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                var existing = await table.GetEntityIfExistsAsync<T>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
                if (!existing.HasValue)
                {
                    continue;
                }

                if (existing.Value!.Committed || await _commits.ResolveAsync(existing.Value.CommitId, cancellationToken) != CommitEntity.Aborted)
                {
                    return false;
                }

                try
                {
                    await table.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                    return true;
                }
                catch (RequestFailedException lost) when (lost.Status is 412 or 404)
                {
                    // Someone else took it over (or the sweeper removed it) first: look again.
                }
            }
        }

        return false;
    }

    private async Task WriteTokensAsync(IReadOnlyList<ResourceWrite> writes, CommitRows written, CancellationToken cancellationToken)
    {
        var tokens = writes.SelectMany(TokenRows).Select(token =>
        {
            token.CommitId = written.CommitId;
            return token;
        }).ToList();
        await UpsertAsync(_storage.Tokens, tokens, cancellationToken);
    }

    private static IEnumerable<TokenEntity> TokenRows(ResourceWrite write) => write.Version.IsDeleted ? [] : write.Index.Distinct().Select(entry => new TokenEntity
    {
        PartitionKey = TableKeys.Join(write.Version.Type, entry.Parameter),
        RowKey = TableKeys.Join(entry.Value, entry.System ?? "", write.Version.Id),
        Id = write.Version.Id,
        System = entry.System ?? "",
        Version = write.Version.VersionId,
    });

    /// <summary>After the decision: flags the rows committed, points the current table at the new versions and drops the tokens of versions superseded.</summary>
    private async Task SettleAsync(CommitEntity record, CommitRows rows, CancellationToken cancellationToken)
    {
        await ForEachAsync(rows.Versions, async (key, cancel) =>
        {
            var (partition, row) = key;
            var version = (await _storage.Versions.GetEntityAsync<VersionEntity>(partition, row, cancellationToken: cancel)).Value;
            if (!version.Committed)
            {
                version.Committed = true;
                await _storage.Versions.UpdateEntityAsync(version, ETag.All, TableUpdateMode.Merge, cancel);
            }

            await PointCurrentAsync(version, cancel);
            if (version.Version > 1 && await PreviousAsync(version, cancel) is { } previous)
            {
                await DeleteTokensAsync(previous.Tokens, version, cancel);
            }
        }, cancellationToken);

        await ForEachAsync(rows.Claims, (key, cancel) =>
            _storage.Claims.UpdateEntityAsync(new TableEntity(key.Partition, key.Row) { [nameof(ClaimEntity.Committed)] = true }, ETag.All, TableUpdateMode.Merge, cancel), cancellationToken);

        await _commits.SettledAsync(record, cancellationToken);
    }

    private async Task PointCurrentAsync(VersionEntity version, CancellationToken cancellationToken)
    {
        var pointer = new CurrentEntity { PartitionKey = TableKeys.Join(version.Type), RowKey = TableKeys.Join(version.Id), Id = version.Id, Version = version.Version };
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await _storage.Current.GetEntityIfExistsAsync<CurrentEntity>(pointer.PartitionKey, pointer.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await _storage.Current.AddEntityAsync(pointer, cancellationToken);
                }
                else if (existing.Value!.Version < version.Version)
                {
                    await _storage.Current.UpdateEntityAsync(pointer, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // A newer version was pointed at meanwhile: look again.
            }
        }
    }

    private async Task<VersionEntity?> PreviousAsync(VersionEntity version, CancellationToken cancellationToken)
    {
        var row = await _storage.Versions.GetEntityIfExistsAsync<VersionEntity>(version.PartitionKey, TableKeys.VersionRow(version.Version - 1), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Drops the token rows a superseded version was indexed under, unless the new version indexes the same.</summary>
    private async Task DeleteTokensAsync(string tokens, VersionEntity replacement, CancellationToken cancellationToken)
    {
        var kept = replacement.Tokens.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var token in tokens.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(t => !kept.Contains(t)))
        {
            var (partition, row) = (token[..token.IndexOf('\t')], token[(token.IndexOf('\t') + 1)..]);
            await _storage.Tokens.DeleteEntityAsync(partition, row, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A commit that failed before its decision: aborts it and removes its rows, as far as that goes (the sweeper does the rest).</summary>
    private async Task AbandonAsync(CommitEntity record, CommitRows rows)
    {
        try
        {
            if (await _commits.DecideAsync(record, CommitEntity.Aborted, CancellationToken.None))
            {
                await RemoveAsync(rows, CancellationToken.None);
                await _storage.Commits.DeleteEntityAsync(record.PartitionKey, record.RowKey);
                await _storage.Blobs.DeleteBlobIfExistsAsync(CommitRows.BlobName(record.RowKey));
            }
        }
        catch (RequestFailedException)
        {
            // The commit is aborted or will be found abandoned: its rows stay invisible either way.
        }
    }

    /// <summary>Deletes the rows of an aborted commit, those that still carry its id (a row taken over by a later commit stays).</summary>
    private async Task RemoveAsync(CommitRows rows, CancellationToken cancellationToken)
    {
        foreach (var (table, keys) in new[] { (_storage.Versions, rows.Versions), (_storage.Claims, rows.Claims), (_storage.Tokens, rows.Tokens) })
        {
            foreach (var (partition, row) in keys)
            {
                var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, [nameof(CommitOwnedEntity.CommitId)], cancellationToken);
                if (existing.HasValue && existing.Value!.GetString(nameof(CommitOwnedEntity.CommitId)) == rows.CommitId)
                {
                    try
                    {
                        await table.DeleteEntityAsync(partition, row, existing.Value.ETag, cancellationToken);
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                    }
                }
            }
        }
    }

    /// <summary>The newest committed version of a resource, deleted or not.</summary>
    private async Task<VersionEntity?> CurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        await foreach (var row in VersionRowsAsync(type, id, cancellationToken))
        {
            if (await _commits.IsCommittedAsync(row, cancellationToken))
            {
                return row;
            }
        }

        return null;
    }

    private IAsyncEnumerable<VersionEntity> VersionRowsAsync(string type, string id, CancellationToken cancellationToken) =>
        _storage.Versions.QueryAsync<VersionEntity>(v => v.PartitionKey == TableKeys.Join(type, id), cancellationToken: cancellationToken);

    /// <summary>The ids (with the version the index row was written for, when from the index) that may match.</summary>
    private async Task<Dictionary<string, long?>> CandidatesAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        if (query.Criteria.Count == 0)
        {
            var all = new Dictionary<string, long?>(StringComparer.Ordinal);
            var partition = TableKeys.Join(query.Type);
            await foreach (var pointer in _storage.Current.QueryAsync<CurrentEntity>(c => c.PartitionKey == partition, cancellationToken: cancellationToken))
            {
                all[pointer.Id] = null;
            }

            return all;
        }

        Dictionary<string, long?>? result = null;
        foreach (var criterion in query.Criteria)
        {
            var matches = new Dictionary<string, long?>(StringComparer.Ordinal);
            foreach (var match in criterion.AnyOf)
            {
                await foreach (var token in TokensAsync(query.Type, criterion.Parameter, match, cancellationToken))
                {
                    if ((match.System is null || match.System == token.System) && await _commits.IsCommittedAsync(token, cancellationToken))
                    {
                        matches[token.Id] = token.Version;
                    }
                }
            }

            result = result is null ? matches : result.Where(r => matches.ContainsKey(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        }

        return result!;
    }

    private IAsyncEnumerable<TokenEntity> TokensAsync(string type, string parameter, TokenMatch match, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Join(type, parameter);
        if (match.Value is not { } value)
        {
            return _storage.Tokens.QueryAsync<TokenEntity>(t => t.PartitionKey == partition, cancellationToken: cancellationToken);
        }

        var (low, high) = match.System is { } system ? TableKeys.PrefixRange(value, system) : TableKeys.PrefixRange(value);
        return _storage.Tokens.QueryAsync<TokenEntity>(t => t.PartitionKey == partition && t.RowKey.CompareTo(low) >= 0 && t.RowKey.CompareTo(high) < 0, cancellationToken: cancellationToken);
    }

    private async Task<ResourceVersion> LoadAsync(VersionEntity row, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> json = ReadOnlyMemory<byte>.Empty;
        if (!row.Deleted)
        {
            var content = await _storage.Blobs.GetBlobClient(BlobName(row.Type, row.Id, row.Version)).DownloadContentAsync(cancellationToken);
            json = content.Value.Content.ToMemory();
        }

        return new ResourceVersion(row.Type, row.Id, row.Version, row.LastUpdated, row.Deleted, json);
    }

    private async Task<ClaimOwner> OwnerAsync(ClaimEntity row, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> payload = row.Payload ?? [];
        if (row.PayloadBlob is { } blob)
        {
            payload = (await _storage.Blobs.GetBlobClient(blob).DownloadContentAsync(cancellationToken)).Value.Content.ToMemory();
        }

        return new ClaimOwner(row.Type, row.Id, payload);
    }

    private static async Task UpsertAsync<T>(TableClient table, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class, ITableEntity
    {
        // A transaction takes up to 100 rows of one partition: one round trip instead of a hundred.
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
            }
        }
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentRequests, CancellationToken = cancellationToken }, (item, cancel) => new ValueTask(body(item, cancel)));

    private async Task StepAsync(string step, StoreCommit commit)
    {
        if (OnCommitStep is { } hook)
        {
            await hook(step, commit);
        }
    }

    private static string BlobName(string type, string id, long version) => $"resources/{type}/{id}/{version}.json";
}
