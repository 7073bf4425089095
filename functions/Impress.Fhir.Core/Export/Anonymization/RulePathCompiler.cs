using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Compiles a rule's path. The whole path is compiled as FHIRPath first, so a path the SDK refuses is refused here; then
/// each branch of a top-level union is given the cheapest selector that answers it exactly: a walk over element names
/// from the resource or from the <c>nodesByType</c>/<c>nodesByName</c> index, the index followed by FHIRPath, or FHIRPath.
/// </summary>
internal static partial class RulePathCompiler
{
    /// <summary>Throws <see cref="FormatException"/> for syntax the SDK refuses, <see cref="ArgumentException"/> for unknown functions.</summary>
    public static NodeSelector Compile(string path, SelectionIndex.Builder index)
    {
        var whole = RuleFhirPath.Compile(path);
        if (UnquotedIndexArgument().Match(path) is { Success: true } unquoted)
        {
            throw new FormatException($"{unquoted.Groups["function"].Value} takes a quoted name, e.g. nodesByType('HumanName').");
        }

        var branches = SplitUnion(path).Select(branch => branch.Trim()).ToList();
        return branches.Count == 1
            ? CompileBranch(branches[0], index, whole)
            : new UnionSelector(branches.Select(branch => CompileBranch(branch, index, null)).ToList());
    }

    /// <summary>The cheapest selector for one branch; <paramref name="compiled"/> is the branch as FHIRPath, if compiled already.</summary>
    private static NodeSelector CompileBranch(string branch, SelectionIndex.Builder index, CompiledExpression? compiled)
    {
        if (IndexStart().Match(branch) is { Success: true } indexed)
        {
            var start = indexed.Groups["function"].Value == "nodesByType" ? PathStart.Type : PathStart.Name;
            var key = indexed.Groups["key"].Value;
            var slot = start == PathStart.Type ? index.TypeSlot(key) : index.NameSlot(key);
            var rest = branch[indexed.Length..];
            if (rest.Length == 0 || ElementSteps().IsMatch(rest))
            {
                return new ElementPathSelector(start, null, slot, Steps(rest));
            }

            if (rest.StartsWith('.'))
            {
                return new IndexedExpressionSelector(start, slot, RuleFhirPath.Compile(rest[1..]));
            }
        }
        else if (TypeStart().Match(branch) is { Success: true } typed && IsResourceType(typed.Groups["type"].Value) && ElementSteps().IsMatch(branch[typed.Length..]))
        {
            return new ElementPathSelector(PathStart.Resource, typed.Groups["type"].Value, -1, Steps(branch[typed.Length..]));
        }

        return new ExpressionSelector(compiled ?? RuleFhirPath.Compile(branch), LeadingResourceType(branch));
    }

    /// <summary>"Patient", "Resource" and "DomainResource" start a path from the resource; other types never match a root.</summary>
    private static bool IsResourceType(string type) => type is "Resource" or "DomainResource" || ModelInfo.IsKnownResource(type);

    /// <summary>The resource type an expression starts from, as in "(Observation.value as Quantity).value", or null.</summary>
    private static string? LeadingResourceType(string expression)
    {
        var match = LeadingName().Match(expression);
        return match.Success && match.Groups["rest"].Value.StartsWith('.') && IsResourceType(match.Groups["type"].Value) ? match.Groups["type"].Value : null;
    }

    private static string[] Steps(string rest) => rest.Length == 0 ? [] : rest[1..].Split('.');

    /// <summary>Splits at the top-level '|', outside quotes, parentheses and brackets.</summary>
    private static IEnumerable<string> SplitUnion(string expression)
    {
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (quote is { } open)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == open)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case '|' when depth == 0:
                    yield return expression[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return expression[start..];
    }

    [GeneratedRegex(@"^(?<function>nodesByType|nodesByName)\(\s*'(?<key>[A-Za-z][A-Za-z0-9_]*)'\s*\)")]
    private static partial Regex IndexStart();

    [GeneratedRegex(@"(?<function>nodesByType|nodesByName)\(\s*[^'\s]")]
    private static partial Regex UnquotedIndexArgument();

    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]*)")]
    private static partial Regex TypeStart();

    [GeneratedRegex(@"^\(*\s*(?<type>[A-Z][A-Za-z]*)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex LeadingName();

    /// <summary>Nothing but ".name" steps (names as FHIR spells them), or nothing at all.</summary>
    [GeneratedRegex(@"^(\.[a-z][A-Za-z0-9]*)*$")]
    private static partial Regex ElementSteps();
}
