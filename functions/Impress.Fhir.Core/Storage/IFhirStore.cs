namespace Impress.Fhir.Storage;

/// <summary>
/// Durable storage of versioned FHIR resources, their search index and their unique business identifiers. The
/// FHIR semantics (ids, versions, conditional interactions, which parameters are indexed) live above the store;
/// a store only keeps what it is given and guarantees that a <see cref="StoreCommit"/> is all or nothing, to
/// writers and to readers alike, also when the process dies half way.
/// </summary>
/// <remarks>Every implementation passes the shared contract suite in tests/Impress.Fhir.Storage.Tests.</remarks>
public interface IFhirStore
{
    /// <summary>The current version of a resource (a deleted one included), or null when it never existed.</summary>
    Task<ResourceVersion?> ReadAsync(string type, string id, CancellationToken cancellationToken = default);

    /// <summary>One version of a resource, or null when there is no such version.</summary>
    Task<ResourceVersion?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken = default);

    /// <summary>Every version of a resource, newest first; empty when it never existed.</summary>
    Task<IReadOnlyList<ResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancellationToken = default);

    /// <summary>Current, non-deleted resources of one type matching every criterion of the query, in pages.</summary>
    /// <exception cref="FormatException">The query's continuation token is not one this store issued.</exception>
    Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>The owner of a unique claim, or null when nobody holds it.</summary>
    Task<ClaimOwner?> FindClaimAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies every write and claim at once, or none of them.
    /// </summary>
    /// <exception cref="VersionConflictException">A write's expected version is not the current one.</exception>
    /// <exception cref="UniqueClaimConflictException">A claim is already held by another resource.</exception>
    Task CommitAsync(StoreCommit commit, CancellationToken cancellationToken = default);
}
