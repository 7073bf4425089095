using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A method that replaces values with text made from them (a hash, a ciphertext). The text fits only where any text
/// may stand: a date, a number, a boolean or a narrative would stop being one, so an element holding such a value
/// fails before anything in it is changed. Extension urls say what an extension is, never who, and stay.
/// </summary>
internal abstract class TextReplacementTransform : NodeTransform
{
    protected abstract string MethodName { get; }

    public override void Apply(ElementNode node, ResourceAnonymization run)
    {
        if (FirstUnfit(node) is { } unfit)
        {
            throw new ProcessingFailure(ReferenceEquals(unfit, node)
                ? $"{MethodName} replaces values with text, and this is a {unfit.Value.TypeName}."
                : $"{MethodName} replaces values with text, and {unfit.Location} is a {unfit.Value.TypeName}.");
        }

        Replace(node, run);
    }

    /// <summary>The new text for a value.</summary>
    protected abstract string Transform(ElementNode node, string value, ResourceAnonymization run);

    private void Replace(ElementNode node, ResourceAnonymization run)
    {
        if (node.IsClaimed || node.IsRemoved)
        {
            return;
        }

        if (node.Kind != PrimitiveKind.None)
        {
            if (node.Value is PrimitiveType { JsonValue: string value } && !IsExtensionUrl(node))
            {
                node.SetValue(Transform(node, value, run));
            }
        }
        else if (!node.IsNestedResource)
        {
            for (var child = node.FirstChild; child is not null; child = child.NextSibling)
            {
                Replace(child, run);
            }
        }

        node.ClaimAsPseudonym();
    }

    private static ElementNode? FirstUnfit(ElementNode node)
    {
        if (node.IsClaimed || node.IsRemoved || IsExtensionUrl(node))
        {
            return null;
        }

        if (node.Kind != PrimitiveKind.None)
        {
            return node.Kind.HoldsAnyText() || node.Value is PrimitiveType { JsonValue: null } ? null : node;
        }

        if (node.IsNestedResource)
        {
            return null;
        }

        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (FirstUnfit(child) is { } unfit)
            {
                return unfit;
            }
        }

        return null;
    }

    private static bool IsExtensionUrl(ElementNode node) => node.Name == "url" && node.Parent?.Value is Extension;
}
