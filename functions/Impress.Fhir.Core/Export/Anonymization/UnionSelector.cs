using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>The branches of a top-level union (<c>a | b</c>), each compiled on its own.</summary>
internal sealed class UnionSelector(IReadOnlyList<NodeSelector> branches) : NodeSelector
{
    public override NodeSelector? For(Resource resource)
    {
        var applicable = branches.Select(branch => branch.For(resource)).OfType<NodeSelector>().ToList();
        return applicable.Count switch
        {
            0 => null,
            1 => applicable[0],
            _ when applicable.Count == branches.Count => this,
            _ => new UnionSelector(applicable),
        };
    }

    public override void Select(ResourceAnonymization run, List<ElementNode> selected)
    {
        foreach (var branch in branches)
        {
            branch.Select(run, selected);
        }
    }
}
