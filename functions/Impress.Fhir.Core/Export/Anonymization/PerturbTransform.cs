using System.Globalization;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// perturb: adds noise drawn uniformly from [-span/2, span/2] (times the value, if proportional) to a number, or to the
/// value of a quantity (Quantity, Age, Duration, Money and the rest), rounded as the rule says; integers round to whole
/// numbers and stay in their type's range (a positiveInt at least 1, an unsignedInt at least 0).
/// </summary>
internal sealed class PerturbTransform(PerturbSettings settings) : NodeTransform
{
    public override void Apply(ElementNode node, ResourceAnonymization run)
    {
        var target = node.Kind.IsNumber() ? node
            : node.Value is Quantity or Money ? Child(node, "value")
            : throw new ProcessingFailure($"perturb changes numbers and quantities, and this is a {node.Value.TypeName}.");

        switch (target)
        {
            case { IsClaimed: true } or { Value: PrimitiveType { JsonValue: null } } or null:
                break;
            case { Value: PrimitiveType { JsonValue: int or long or decimal } number }:
                target.SetValue(Perturbed(Convert.ToDecimal(number.JsonValue, CultureInfo.InvariantCulture), target.Kind));
                break;
            case { Kind: PrimitiveKind.Integer64, Value: PrimitiveType { JsonValue: string text } } when long.TryParse(text, CultureInfo.InvariantCulture, out var integer64):
                target.SetValue(Perturbed(integer64, target.Kind));
                break;
            default:
                throw new ProcessingFailure($"the {target.Value.TypeName} does not hold a number.");
        }

        node.Claim();
    }

    private object Perturbed(decimal value, PrimitiveKind kind)
    {
        var span = settings.RangeType == PerturbRangeType.Proportional ? settings.Span * Math.Abs(value) : settings.Span;
        var noise = (decimal)(Random.Shared.NextDouble() - 0.5) * span;
        var roundTo = kind == PrimitiveKind.Decimal ? settings.RoundTo ?? 2 : 0;
        var perturbed = decimal.Round(value + noise, roundTo, MidpointRounding.AwayFromZero);
        return kind switch
        {
            PrimitiveKind.Decimal => perturbed,
            PrimitiveKind.Integer64 => ((long)Math.Clamp(perturbed, long.MinValue, long.MaxValue)).ToString(CultureInfo.InvariantCulture),
            PrimitiveKind.PositiveInt => (int)Math.Clamp(perturbed, 1, int.MaxValue),
            PrimitiveKind.UnsignedInt => (int)Math.Clamp(perturbed, 0, int.MaxValue),
            _ => (int)Math.Clamp(perturbed, int.MinValue, int.MaxValue),
        };
    }
}
