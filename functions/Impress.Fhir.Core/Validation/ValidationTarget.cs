using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation;

/// <summary>
/// What the IMPRESS rules look at: the validated instance, its resources, and a reference index over them that is
/// built once, in linear time, whatever the bundle's size.
/// </summary>
public sealed class ValidationTarget
{
    private readonly Dictionary<string, ValidationEntry> _byFullUrl = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ValidationEntry> _byTypeAndId = new(StringComparer.Ordinal);

    public ValidationTarget(Resource root)
    {
        Root = root;
        if (root is Bundle bundle)
        {
            BundleType = bundle.Type;
            var entries = new List<ValidationEntry>(bundle.Entry.Count);
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                if (bundle.Entry[i].Resource is { } resource)
                {
                    entries.Add(new ValidationEntry(resource, i, bundle.Entry[i].FullUrl));
                }
            }

            Entries = entries;
        }
        else
        {
            Entries = [new ValidationEntry(root, null, null)];
        }

        foreach (var entry in Entries)
        {
            if (entry.FullUrl is { Length: > 0 } fullUrl)
            {
                _byFullUrl.TryAdd(fullUrl, entry);
            }

            if (entry.Resource.Id is { Length: > 0 } id)
            {
                _byTypeAndId.TryAdd($"{entry.Resource.TypeName}/{id}", entry);
            }
        }
    }

    public Resource Root { get; }

    /// <summary>The type of the Bundle, or null when the instance is not a Bundle.</summary>
    public Bundle.BundleType? BundleType { get; }

    public bool IsBundle => BundleType is not null;

    /// <summary>Bundles whose references may point at resources already stored on the server.</summary>
    public bool MayReferenceServer => BundleType is Hl7.Fhir.Model.Bundle.BundleType.Transaction or Hl7.Fhir.Model.Bundle.BundleType.Batch;

    public IReadOnlyList<ValidationEntry> Entries { get; }

    public IEnumerable<ValidationEntry> EntriesOf<T>() where T : Resource => Entries.Where(e => e.Resource is T);

    /// <summary>
    /// Resolves a literal reference against the bundle's entries, following the FHIR rules for references in
    /// bundles: an absolute url or urn matches a fullUrl; a relative "Type/id" matches an entry whose fullUrl ends
    /// in it or whose resource has that type and id.
    /// </summary>
    public ValidationEntry? Resolve(string reference)
    {
        if (_byFullUrl.TryGetValue(reference, out var entry))
        {
            return entry;
        }

        var versionAt = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var unversioned = versionAt > 0 ? reference[..versionAt] : reference;
        if (_byTypeAndId.TryGetValue(unversioned, out entry))
        {
            return entry;
        }

        // An absolute RESTful url ("https://ehr.example/fhir/Patient/1") names the same resource as "Patient/1".
        var typeAndId = TypeAndIdTail(unversioned);
        return typeAndId is not null && _byTypeAndId.TryGetValue(typeAndId, out entry) ? entry : null;
    }

    private static string? TypeAndIdTail(string url)
    {
        var last = url.LastIndexOf('/');
        if (last <= 0)
        {
            return null;
        }

        var previous = url.LastIndexOf('/', last - 1);
        return previous < 0 ? null : url[(previous + 1)..];
    }
}
