using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// dateShift: a date, dateTime or instant moves by the scope's number of days (<see cref="ResourceAnonymization.DateShiftDays"/>),
/// its time of day becomes midnight in its own zone. A date with no day cannot move and is redacted; one implying an age
/// over 89 is removed. On a complex element, the dates in it move and the rest is left for later rules.
/// </summary>
internal sealed class DateShiftTransform : NodeTransform
{
    public override void Apply(ElementNode node, ResourceAnonymization run)
    {
        if (node.Kind.IsDate())
        {
            Shift(node, run);
        }
        else if (node.Kind != PrimitiveKind.None)
        {
            throw new ProcessingFailure($"dateShift moves dates, and this is a {node.Value.TypeName}.");
        }
        else
        {
            ShiftWithin(node, run);
        }
    }

    private static void ShiftWithin(ElementNode node, ResourceAnonymization run)
    {
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child.IsClaimed || child.IsRemoved || child.IsNestedResource)
            {
                continue;
            }

            if (child.Kind.IsDate())
            {
                Shift(child, run);
            }
            else
            {
                ShiftWithin(child, run);
            }
        }
    }

    private static void Shift(ElementNode node, ResourceAnonymization run)
    {
        if (node.Value is PrimitiveType { JsonValue: string text })
        {
            if (!FhirDateText.TryParse(text, out var date))
            {
                throw new ProcessingFailure($"the {node.Value.TypeName} is not written as FHIR writes dates.");
            }

            if (date.ImpliesAgeOver89(run.Today))
            {
                node.SetValue(null);
            }
            else if (!date.HasDay)
            {
                run.PartialRedaction.RedactDate(node, date, run.Today);
            }
            else
            {
                node.SetValue(date.ShiftedBy(run.DateShiftDays));
            }
        }

        if (!node.IsRemoved)
        {
            node.Claim();
        }
    }
}
