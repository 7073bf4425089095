using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>Any other FHIRPath, evaluated on the resource.</summary>
internal sealed class ExpressionSelector(CompiledExpression expression, string? resourceType) : NodeSelector
{
    public override NodeSelector? For(Resource resource) => TypeAdmits(resourceType, resource) ? this : null;

    public override void Select(ResourceAnonymization run, List<ElementNode> selected) =>
        AddResults(run, expression([run.Tree.PocoNodeOf(run.Tree.Root)], run.EvaluationContext), selected);
}
