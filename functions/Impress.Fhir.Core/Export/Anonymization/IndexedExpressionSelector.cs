using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary><c>nodesByType('T')</c> or <c>nodesByName('n')</c> followed by FHIRPath evaluated on each element found, as Microsoft's tool does.</summary>
internal sealed class IndexedExpressionSelector(PathStart start, int slot, CompiledExpression remainder) : NodeSelector
{
    public override NodeSelector? For(Resource resource) => this;

    public override void Select(ResourceAnonymization run, List<ElementNode> selected)
    {
        var nodes = start == PathStart.Type ? run.Tree.OfType(slot) : run.Tree.Named(slot);
        for (var i = 0; i < nodes.Count; i++)
        {
            // Whatever an earlier rule settled, the remainder would only find settled elements in.
            if (!ResourceTree.IsSettled(nodes[i]))
            {
                AddResults(run, remainder([run.Tree.PocoNodeOf(nodes[i])], run.EvaluationContext), selected);
            }
        }
    }
}
