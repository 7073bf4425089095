using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A rule's path, compiled. The shapes policies are made of (<c>Patient.birthDate</c>, <c>nodesByType('Address').city</c>)
/// are answered from the <see cref="ResourceTree"/> without FHIRPath; anything else runs as compiled FHIRPath.
/// </summary>
internal abstract class NodeSelector
{
    /// <summary>The selector to run on resources of this one's type, or null when the path can select nothing in them.</summary>
    public abstract NodeSelector? For(Resource resource);

    /// <summary>Adds the elements the path selects to <paramref name="selected"/>.</summary>
    public abstract void Select(ResourceAnonymization run, List<ElementNode> selected);

    /// <summary>Whether a path's leading type name (<c>Patient</c>, <c>Resource</c>, <c>DomainResource</c>) admits the resource.</summary>
    protected static bool TypeAdmits(string? type, Resource resource) => type switch
    {
        null or "Resource" => true,
        "DomainResource" => resource is DomainResource,
        _ => resource.TypeName == type,
    };

    protected static void AddResults(ResourceAnonymization run, IEnumerable<PocoNode> results, List<ElementNode> selected)
    {
        foreach (var result in results)
        {
            // A value the expression computed, or an element of a nested resource, is not this rule's to change.
            if (run.Tree.Find(result) is { } node)
            {
                selected.Add(node);
            }
        }
    }
}
