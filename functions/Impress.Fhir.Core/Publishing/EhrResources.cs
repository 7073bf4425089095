using Hl7.Fhir.Model;

namespace Impress.Fhir.Publishing;

/// <summary>
/// What an EHR receives of one of our resources: no id or version of ours (the EHR keeps its own, found again by
/// the business identifier in a conditional update), our profile, and references the EHR can resolve.
/// </summary>
public static class EhrResources
{
    /// <summary>The business identifier the EHR finds the resource by, or null when it has none (then it is not published).</summary>
    public static Identifier? BusinessIdentifier(Resource resource) =>
        (resource as IIdentifiable<List<Identifier>>)?.Identifier.FirstOrDefault(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value));

    /// <summary>Every literal reference ("Type/id") the resource holds, once each.</summary>
    public static IReadOnlyList<string> ReferencesOf(Resource resource) =>
        ReferenceElements(resource).Select(r => r.Reference).OfType<string>().Where(IsLiteral).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The outbound copy: references are replaced by <paramref name="map"/>'s answer for them (keeping the display
    /// when the answer has none); a reference the map does not know keeps only its display.
    /// </summary>
    public static Resource Outbound(Resource resource, IReadOnlyDictionary<string, ResourceReference> map)
    {
        var copy = (Resource)resource.DeepCopy();
        copy.Id = null;
        copy.Meta = resource.Meta?.Profile.Any() == true ? new Meta { Profile = resource.Meta.Profile } : null;
        foreach (var reference in ReferenceElements(copy))
        {
            if (reference.Reference is not { } literal || !IsLiteral(literal))
            {
                continue;
            }

            var display = reference.Display;
            if (map.TryGetValue(literal, out var mapped))
            {
                reference.Reference = mapped.Reference;
                reference.Identifier = mapped.Identifier;
                reference.Type = mapped.Type;
                reference.Display = mapped.Display ?? display;
            }
            else
            {
                reference.Reference = null;
                reference.Display = display ?? literal.Split('/')[0];
            }
        }

        return copy;
    }

    private static bool IsLiteral(string reference) =>
        !reference.StartsWith('#') && !reference.Contains("://", StringComparison.Ordinal) && !reference.StartsWith("urn:", StringComparison.Ordinal) && reference.Contains('/');

    private static IEnumerable<ResourceReference> ReferenceElements(Base element)
    {
        foreach (var (name, value) in element.EnumerateElements())
        {
            if (name == "contained")
            {
                continue; // contained resources keep their own references
            }

            foreach (var child in value as IEnumerable<Base> ?? (value is Base one ? [one] : []))
            {
                if (child is ResourceReference reference)
                {
                    yield return reference;
                }

                foreach (var nested in ReferenceElements(child))
                {
                    yield return nested;
                }
            }
        }
    }
}
