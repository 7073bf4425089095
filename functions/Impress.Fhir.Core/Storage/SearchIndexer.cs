using Hl7.Fhir.Model;

namespace Impress.Fhir.Storage;

/// <summary>Computes the search index entries of a resource from the specification's FHIRPath expressions.</summary>
public sealed class SearchIndexer(SearchParameterRegistry registry)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IndexedSearchParameter, SearchPath> _paths = new();

    public static SearchIndexer Default { get; } = new(SearchParameterRegistry.Default);

    public IReadOnlyList<SearchIndexEntry> Index(Resource resource)
    {
        var entries = new List<SearchIndexEntry>();
        foreach (var parameter in registry.For(resource.TypeName))
        {
            var path = _paths.GetOrAdd(parameter, p => SearchPath.Compile(p.ResourceType, p.Expression));
            foreach (var value in path.Select(resource))
            {
                AddEntries(parameter, value, entries);
            }
        }

        return entries.Distinct().ToList();
    }

    private static void AddEntries(IndexedSearchParameter parameter, Base value, List<SearchIndexEntry> entries)
    {
        switch (value)
        {
            case ResourceReference { Reference: { } reference } when ReferenceValue.TryNormalize(reference, out var normalized):
                entries.Add(new(parameter.Code, null, normalized));
                break;
            case Identifier { Value: { } identifierValue } identifier:
                entries.Add(new(parameter.Code, identifier.System, identifierValue));
                break;
            case CodeableConcept concept:
                foreach (var coding in concept.Coding)
                {
                    AddEntries(parameter, coding, entries);
                }

                break;
            case Coding { Code: { } code } coding:
                entries.Add(new(parameter.Code, coding.System, code));
                break;
            case PrimitiveType { JsonValue: { } primitive } when parameter.Type == SearchParamType.Token:
                entries.Add(new(parameter.Code, null, primitive is bool flag ? (flag ? "true" : "false") : primitive.ToString()!));
                break;
        }
    }
}

/// <summary>References as the index keeps them: "Type/id", without a base URL or a version.</summary>
public static class ReferenceValue
{
    /// <summary>
    /// "Patient/1", "Patient/1/_history/2" and "http://host/fhir/Patient/1" all become "Patient/1". Contained
    /// (#x) and urn references do not point at a stored resource and are not indexed.
    /// </summary>
    public static bool TryNormalize(string reference, out string normalized)
    {
        normalized = "";
        if (reference.StartsWith('#') || reference.StartsWith("urn:", StringComparison.Ordinal))
        {
            return false;
        }

        var path = reference;
        var history = path.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0)
        {
            path = path[..history];
        }

        var parts = path.TrimEnd('/').Split('/');
        if (parts.Length < 2 || !ModelInfo.IsKnownResource(parts[^2]) || parts[^1].Length == 0)
        {
            return false;
        }

        normalized = parts[^2] + "/" + parts[^1];
        return true;
    }
}
