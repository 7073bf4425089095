namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// redact: the element goes. A complex element that holds elements earlier rules claimed keeps those and loses the
/// rest, so "keep the country, then redact the Address" leaves the country alone. The parameters let a date keep its
/// year, an Age up to 89 stay, and a postal code keep its prefix (<see cref="PartialRedaction"/>).
/// </summary>
internal sealed class RedactTransform : NodeTransform
{
    public override void Apply(ElementNode node, ResourceAnonymization run) => Redact(node, run);

    private static void Redact(ElementNode node, ResourceAnonymization run)
    {
        if (node.IsClaimed || node.IsRemoved)
        {
            return;
        }

        if (run.PartialRedaction.TryKeepPart(node, run.Today))
        {
            node.Claim();
            return;
        }

        if (!node.HoldsClaimed && !node.IsRoot)
        {
            node.Remove();
            return;
        }

        node.Claim();
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            Redact(child, run);
        }

        if (node.Kind != PrimitiveKind.None)
        {
            node.SetValue(null);
        }

        node.RemoveIfEmpty();
    }
}
