namespace Impress.Fhir.Export.Anonymization;

/// <summary>keep: the element stays as it is, and no later rule touches it.</summary>
internal sealed class KeepTransform : NodeTransform
{
    public override void Apply(ElementNode node, ResourceAnonymization run) => node.ClaimAsKept();
}
