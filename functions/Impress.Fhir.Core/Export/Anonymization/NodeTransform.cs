namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A method, made once per rule and shared by every thread: what it needs per resource (keys in use, the day's date,
/// the tree) it finds on the <see cref="ResourceAnonymization"/>. Applying a method to a complex element applies it to
/// what is inside, except what earlier rules claimed.
/// </summary>
internal abstract class NodeTransform
{
    /// <summary>Applies the method to an element no earlier rule settled; throws <see cref="ProcessingFailure"/> when it cannot.</summary>
    public abstract void Apply(ElementNode node, ResourceAnonymization run);

    /// <summary>The element's child of this name, if it is still in the resource.</summary>
    protected static ElementNode? Child(ElementNode node, string name)
    {
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (!child.IsRemoved && child.Name == name)
            {
                return child;
            }
        }

        return null;
    }
}
