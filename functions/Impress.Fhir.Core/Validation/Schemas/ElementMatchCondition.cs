using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// A slice discriminator "the element at this path has these pattern (or fixed) values", evaluated on the POCOs.
/// Equivalent to the validator's path selector over pattern and fixed-value checks, for paths of plain element names.
/// </summary>
/// <remarks>
/// A discriminator only decides which slice an element belongs to; its own outcome is never reported, so a
/// mismatch is a bare failure with no message. As with the validator's selector, the path must select exactly one
/// element.
/// </remarks>
internal sealed class ElementMatchCondition : IValidatable
{
    private readonly string[] _steps;
    private readonly IReadOnlyList<ExpectedValue> _expected;

    public ElementMatchCondition(string path, IReadOnlyList<ExpectedValue> expected)
    {
        Path = path;
        _steps = path == "$this" ? [] : path.Split('.');
        _expected = expected;
    }

    public string Path { get; }

    /// <summary>Whether the validator's selector <paramref name="path"/> is plain element names that this can follow.</summary>
    public static bool CanFollow(string path) =>
        path == "$this" || path.Split('.').All(step => step.Length > 0 && step.All(char.IsAsciiLetterOrDigit));

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state)
    {
        var selected = Select(input.Poco);
        if (selected is null)
        {
            return ResultReport.FAILURE;
        }

        foreach (var expected in _expected)
        {
            if (!expected.IsMetBy(selected))
            {
                return ResultReport.FAILURE;
            }
        }

        return ResultReport.SUCCESS;
    }

    /// <summary>The one element at the path, or null when there is none or more than one.</summary>
    private Base? Select(Base root)
    {
        var current = root;
        foreach (var step in _steps)
        {
            if (!current.TryGetValue(step, out var value))
            {
                return null;
            }

            switch (value)
            {
                case Base single:
                    current = single;
                    break;
                case IReadOnlyList<Base> { Count: 1 } list:
                    current = list[0];
                    break;
                default:
                    return null;
            }
        }

        return current;
    }

    public JToken ToJson() => new JProperty("elementMatch", new JObject(
        new JProperty("path", Path),
        new JProperty("expected", new JArray(_expected.Select(e => $"{(e.Exact ? "fixed" : "pattern")}[{e.Value.TypeName}]")))));

    /// <summary>A pattern[x] (at least these elements) or fixed[x] (exactly this) value.</summary>
    internal sealed record ExpectedValue(Base Value, bool Exact)
    {
        public bool IsMetBy(Base selected) => Exact
            ? PocoPattern.IsExactly(selected, Value)
            : PocoPattern.Matches(selected, Value) || IsExtendedEmptyPrimitive(selected);

        /// <summary>A primitive with no value but extensions (e.g. a data-absent reason) meets a pattern, as in the validator.</summary>
        private static bool IsExtendedEmptyPrimitive(Base selected) =>
            selected is PrimitiveType { JsonValue: null } primitive && primitive.Extension.Count > 0;
    }
}
