using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Interactions;

/// <summary>Turns resources into store writes: versioned meta, JSON and search index in one place.</summary>
public sealed class StoredResources(SearchIndexer indexer)
{
    public SearchIndexer Indexer => indexer;

    /// <summary>Sets id and meta on the resource and returns the write for the store.</summary>
    public ResourceWrite Write(Resource resource, string id, long versionId, long expectedVersion, DateTimeOffset now)
    {
        resource.Id = id;
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = versionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = now;
        var json = FhirJson.SerializeToUtf8Bytes(resource);
        return new ResourceWrite(new ResourceVersion(resource.TypeName, id, versionId, now, false, json), expectedVersion, indexer.Index(resource));
    }

    public static StoredVersionInfo InfoOf(ResourceVersion version) => new(version.Type, version.Id, version.VersionId, version.LastUpdated);

    public static StoredVersionInfo InfoOf(ResourceWrite write) => InfoOf(write.Version);

    /// <summary>A new logical id: a lowercase GUID, well inside FHIR's 64-character id limit.</summary>
    public static string NewId() => Guid.NewGuid().ToString("D");
}
