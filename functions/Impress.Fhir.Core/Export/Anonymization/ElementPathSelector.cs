using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>A path of element names from the resource (<c>Patient.name.given</c>) or from an index (<c>nodesByType('Address').city</c>).</summary>
internal sealed class ElementPathSelector(PathStart start, string? resourceType, int slot, string[] steps) : NodeSelector
{
    public override NodeSelector? For(Resource resource) => start != PathStart.Resource || TypeAdmits(resourceType, resource) ? this : null;

    public override void Select(ResourceAnonymization run, List<ElementNode> selected)
    {
        var tree = run.Tree;
        var current = start switch
        {
            PathStart.Resource => tree.RootOnly,
            PathStart.Type => tree.OfType(slot),
            _ => tree.Named(slot),
        };

        for (var i = 0; i < steps.Length - 1; i++)
        {
            var next = run.Scratch(i % 2);
            AddChildren(current, steps[i], next);
            current = next;
        }

        if (steps.Length == 0)
        {
            selected.AddRange(current);
        }
        else
        {
            AddChildren(current, steps[^1], selected);
        }
    }

    private static void AddChildren(IReadOnlyList<ElementNode> nodes, string name, List<ElementNode> into)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var child = nodes[i].FirstChild; child is not null; child = child.NextSibling)
            {
                if (!child.IsRemoved && string.Equals(child.Name, name, StringComparison.Ordinal))
                {
                    into.Add(child);
                }
            }
        }
    }
}
