using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// generalize: the first case whose condition holds for the value (<c>$this</c>) gives the new value; a value no case
/// matches is redacted or kept as the rule's otherValues says. Only primitives have values to map.
/// </summary>
internal sealed class GeneralizeTransform(AnonymizationRule rule) : NodeTransform
{
    public override void Apply(ElementNode node, ResourceAnonymization run)
    {
        if (node.Kind == PrimitiveKind.None)
        {
            throw new ProcessingFailure($"generalize maps primitive values, and this is a {node.Value.TypeName}.");
        }

        if (node.Value is PrimitiveType { JsonValue: not null })
        {
            Generalize(node, run);
        }

        if (!node.IsRemoved)
        {
            node.Claim();
        }
    }

    private void Generalize(ElementNode node, ResourceAnonymization run)
    {
        var focus = run.Tree.PocoNodeOf(node);
        var cases = rule.CompiledCases;
        for (var i = 0; i < cases.Count; i++)
        {
            var (condition, value) = cases[i];
            if (!Evaluate(i, () => condition.IsTrue(focus, run.EvaluationContext)))
            {
                continue;
            }

            var result = Evaluate(i, () => value.Scalar(focus, run.EvaluationContext));
            if (!PrimitiveValues.TryFromResult(result, node.Kind, out var generalized))
            {
                throw new ProcessingFailure($"case {i} gives a value that is not a valid {node.Value.TypeName}.");
            }

            node.SetValue(generalized);
            return;
        }

        if (rule.Generalize!.OtherValues == GeneralizeOtherValues.Redact)
        {
            node.SetValue(null);
        }
    }

    private static T Evaluate<T>(int index, Func<T> evaluate)
    {
        try
        {
            return evaluate();
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new ProcessingFailure($"case {index} cannot be evaluated on this value: {e.Message}", e);
        }
    }
}
