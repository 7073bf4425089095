namespace Impress.Fhir.Storage;

/// <summary>One stored version of a resource.</summary>
/// <param name="Type">The resource type, e.g. "Patient".</param>
/// <param name="Id">The logical id.</param>
/// <param name="VersionId">1 for the first version, one more for each later one.</param>
/// <param name="LastUpdated">When this version was committed (meta.lastUpdated).</param>
/// <param name="IsDeleted">True for the version that records a delete; it has no content.</param>
/// <param name="Json">The resource as FHIR JSON (UTF-8), with meta.versionId and meta.lastUpdated set; empty when deleted.</param>
public sealed record ResourceVersion(string Type, string Id, long VersionId, DateTimeOffset LastUpdated, bool IsDeleted, ReadOnlyMemory<byte> Json)
{
    /// <summary>"Type/id".</summary>
    public string Reference => Type + "/" + Id;
}
