using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// An assertion that judges values by their content alone (see <see cref="ContentOnlyAssertions"/>), and so passes,
/// without validating again, values whose content already passed it without any issue.
/// </summary>
/// <remarks>
/// Genomic reports repeat the same coded values throughout: every variant's components carry the same LOINC codes,
/// the same somatic and coordinate-system answers, genes from one panel. Only clean outcomes are remembered, so the
/// issues the validator reports, and where, are exactly as before; a value holding an extension, a reference or a
/// resource has no key (see <see cref="ContentKey"/>) and is always validated.
/// </remarks>
internal sealed class MemoizedAssertion(IValidatable inner, string scope, BoundedKeySet memo) : IGroupValidatable
{
    private readonly string _emptyKey = scope + "\n*";

    public IValidatable Inner { get; } = inner;

    /// <summary>
    /// A group of repeats: an assertion on groups judges the group as a whole (cardinality, slicing), so its key is
    /// the whole group's; any other is judged repeat by repeat, as the validator does.
    /// </summary>
    public ResultReport Validate(IEnumerable<PocoNode> input, ValidationSettings vc, ValidationState state)
    {
        if (Inner is not IGroupValidatable group)
        {
            var repeats = input as IReadOnlyList<PocoNode> ?? input.ToList();
            return repeats.Count switch
            {
                0 => ResultReport.SUCCESS,
                1 => Validate(repeats[0], vc, state),
                _ => ResultReport.Combine(repeats.Select(repeat => Validate(repeat, vc, state)).ToList()),
            };
        }

        var key = GroupKey(input);
        if (key is not null && memo.Contains(key))
        {
            return ResultReport.SUCCESS;
        }

        var result = group.Validate(input, vc, state);
        Remember(key, result);
        return result;
    }

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state)
    {
        var key = ContentKey.Of(input.Poco) is { } content ? $"{scope}\n1\n{content}" : null;
        if (key is not null && memo.Contains(key))
        {
            return ResultReport.SUCCESS;
        }

        var result = Inner.Validate(input, vc, state);
        Remember(key, result);
        return result;
    }

    public JToken ToJson() => Inner.ToJson();

    /// <summary>
    /// The key of a group; an absent element (an empty group) has one too, since judging the absence of an element
    /// by its content alone always comes out the same: a choice element's types and an element's unused children
    /// are each validated as an empty group, many times per resource.
    /// </summary>
    private string? GroupKey(IEnumerable<PocoNode> input)
    {
        if (input is IReadOnlyCollection<PocoNode> { Count: 0 })
        {
            return _emptyKey;
        }

        var key = new System.Text.StringBuilder(_emptyKey);
        foreach (var node in input)
        {
            if (ContentKey.Of(node.Poco) is not { } content)
            {
                return null;
            }

            key.Append('\n').Append(content);
        }

        return key.ToString();
    }

    /// <summary>Remembers a bare success: no issue of any severity, nor any other evidence, in the report.</summary>
    private void Remember(string? key, ResultReport result)
    {
        if (key is not null && result.IsSuccessful && result.Evidence.Count == 0)
        {
            memo.Add(key);
        }
    }
}
