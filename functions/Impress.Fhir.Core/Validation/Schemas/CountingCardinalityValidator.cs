using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// A cardinality check that accepts a count within bounds by counting, and hands anything else to the validator's
/// own check for its message.
/// </summary>
/// <remarks>
/// The validator's check also looks up each element's definition to tell whether a single value stands where
/// JSON needs an array, which contends on the instance's annotation list and costs more than the rest of the check.
/// Instances here are POCOs, where a repeating element is always a list and that cannot happen.
/// </remarks>
internal sealed class CountingCardinalityValidator(CardinalityValidator inner) : IGroupValidatable
{
    private readonly int _min = inner.Min ?? 0;
    private readonly int _max = inner.Max ?? int.MaxValue;

    public ResultReport Validate(IEnumerable<PocoNode> input, ValidationSettings vc, ValidationState state)
    {
        var count = input is IReadOnlyCollection<PocoNode> collection ? collection.Count : input.Count();
        return count > 0 && count >= _min && count <= _max
            ? ResultReport.SUCCESS
            : ((IGroupValidatable)inner).Validate(input, vc, state);
    }

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state) => Validate([input], vc, state);

    public JToken ToJson() => inner.ToJson();
}
