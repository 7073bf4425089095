using Azure;
using Azure.Data.Tables;

namespace Impress.Fhir.Storage.Azure;

/// <summary>The fields every row of a commit carries: which commit wrote it, and whether that commit is known to be committed.</summary>
internal abstract class CommitOwnedEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string CommitId { get; set; } = "";

    /// <summary>Set once the commit's decision is written; until then readers ask the commit record.</summary>
    public bool Committed { get; set; }
}

/// <summary>One version of a resource (its JSON is a blob). Partition: the resource; rows newest first.</summary>
internal sealed class VersionEntity : CommitOwnedEntity
{
    public string Type { get; set; } = "";

    public string Id { get; set; } = "";

    public long Version { get; set; }

    public DateTimeOffset LastUpdated { get; set; }

    public bool Deleted { get; set; }

    /// <summary>The token rows this version was indexed under ("partition\nrow" per line), to drop them when it is superseded.</summary>
    public string Tokens { get; set; } = "";
}

/// <summary>A unique key and its holder. Partition: a hash bucket of the key.</summary>
internal sealed class ClaimEntity : CommitOwnedEntity
{
    public string Key { get; set; } = "";

    public string Type { get; set; } = "";

    public string Id { get; set; } = "";

    /// <summary>Kept inline up to Table Storage's property limit; larger payloads are blobs (<see cref="PayloadBlob"/>).</summary>
    public byte[]? Payload { get; set; }

    public string? PayloadBlob { get; set; }
}

/// <summary>One indexed value of a version. Partition: type and parameter; row: value, system, id.</summary>
internal sealed class TokenEntity : CommitOwnedEntity
{
    public string Id { get; set; } = "";

    public string System { get; set; } = "";

    public long Version { get; set; }
}

/// <summary>The newest committed version of a resource, for listing a type. Partition: type; row: id.</summary>
internal sealed class CurrentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Id { get; set; } = "";

    public long Version { get; set; }
}

/// <summary>The decision of one commit: pending until it is committed, or aborted by a writer that found it abandoned.</summary>
internal sealed class CommitEntity : ITableEntity
{
    public const string Pending = "pending";
    public const string Committed = "committed";
    public const string Aborted = "aborted";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = Pending;

    public DateTimeOffset Started { get; set; }

    /// <summary>Whether everything after the decision (current pointers, superseded tokens, the Committed flags) is done.</summary>
    public bool Settled { get; set; }
}
