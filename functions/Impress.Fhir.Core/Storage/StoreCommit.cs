namespace Impress.Fhir.Storage;

/// <summary>Everything one FHIR interaction (a create, an update, a whole transaction) writes: applied atomically.</summary>
/// <param name="Writes">New resource versions, at most one per resource.</param>
/// <param name="Claims">Unique keys taken by resources of this commit (business identifiers, replay receipts).</param>
/// <param name="Messages">
/// Work for the pipeline's next stages that follows from this commit (match this patient, deliver that Task): queued
/// if and only if the commit is, so no stage's work is lost between a commit and its hand-over.
/// </param>
public sealed record StoreCommit(IReadOnlyList<ResourceWrite> Writes, IReadOnlyList<UniqueClaim> Claims, IReadOnlyList<StageMessage>? Messages = null)
{
    public IReadOnlyList<StageMessage> Messages { get; init; } = Messages ?? [];

    /// <summary>
    /// False for a commit of what is worked out again from durable input when lost (a subscription's event ledger,
    /// written by a stage before it completes its message): the store may acknowledge it before it is on disk. A
    /// power failure then loses it together with everything committed after it, its message's completion included,
    /// so the message is handled again. A process crash loses nothing either way.
    /// </summary>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>A commit of one write and no claims.</summary>
    public static StoreCommit Of(ResourceWrite write) => new([write], []);
}

/// <summary>A new version of one resource.</summary>
/// <param name="Version">The version to store; its VersionId must be one more than <paramref name="ExpectedCurrentVersion"/>.</param>
/// <param name="ExpectedCurrentVersion">The version that must be current when the commit applies: 0 when the resource must not exist yet.</param>
/// <param name="Index">The search index entries of this version (none for a delete).</param>
public sealed record ResourceWrite(ResourceVersion Version, long ExpectedCurrentVersion, IReadOnlyList<SearchIndexEntry> Index);

/// <summary>One value of one search parameter of a resource version: a token (system and code) or a reference ("Type/id" in Value, no system).</summary>
/// <param name="Parameter">The search parameter's code, e.g. "identifier", "subject", "code".</param>
/// <param name="System">The token's system, or null when it has none (and for references).</param>
/// <param name="Value">The token's code or identifier value, or the reference as "Type/id".</param>
public sealed record SearchIndexEntry(string Parameter, string? System, string Value);

/// <summary>
/// A unique key held by one resource: a business identifier ("Patient|urn:oid:2.16.578.1.12.4.1.4.1|15836148239")
/// or a receipt of a processed request. Two commits claiming the same key cannot both succeed: this is what makes
/// conditional create race-safe without a read-then-write.
/// </summary>
/// <param name="Key">The key; compared ordinally.</param>
/// <param name="Type">The type of the resource holding the key.</param>
/// <param name="Id">The id of the resource holding the key.</param>
/// <param name="Payload">Optional data kept with the claim (a replay receipt keeps the original response here).</param>
public sealed record UniqueClaim(string Key, string Type, string Id, ReadOnlyMemory<byte> Payload = default);

/// <summary>Who holds a claim, and what was kept with it.</summary>
public sealed record ClaimOwner(string Type, string Id, ReadOnlyMemory<byte> Payload);
