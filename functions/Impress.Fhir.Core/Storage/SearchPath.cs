using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Storage;

/// <summary>
/// A search parameter's FHIRPath for one resource type, evaluated on the POCO. The specification's expressions are
/// unions over every resource type that has the parameter ("AllergyIntolerance.code | Condition.code | ..."): only
/// the branches for the resource's own type are kept, and those of the shapes the specification uses for the
/// parameters indexed here (a path of element names, optionally ending in <c>.where(resolve() is Type)</c> or cast
/// with <c>as Type</c>) are followed directly. Anything else is evaluated as FHIRPath, compiled once.
/// </summary>
internal sealed class SearchPath
{
    private readonly IReadOnlyList<Branch> _branches;

    private SearchPath(IReadOnlyList<Branch> branches) => _branches = branches;

    public static SearchPath Compile(string resourceType, string expression) =>
        new(SplitUnion(expression)
            .Select(branch => branch.Trim())
            .Where(branch => StartsWithType(branch, resourceType))
            .Select(branch => Branch.Parse(resourceType, branch))
            .ToList());

    /// <summary>The values the parameter indexes in <paramref name="resource"/>.</summary>
    public IEnumerable<Base> Select(Resource resource) => _branches.SelectMany(branch => branch.Select(resource));

    private static bool StartsWithType(string branch, string type)
    {
        var start = branch.TrimStart('(');
        return start.StartsWith(type + ".", StringComparison.Ordinal);
    }

    /// <summary>Splits on the top-level '|' (none of the branches has one inside parentheses or quotes, but be safe).</summary>
    private static IEnumerable<string> SplitUnion(string expression)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '\'':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    depth++;
                    break;
                case ')' when !quoted:
                    depth--;
                    break;
                case '|' when !quoted && depth == 0:
                    yield return expression[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return expression[start..];
    }

    private abstract class Branch
    {
        public abstract IEnumerable<Base> Select(Resource resource);

        public static Branch Parse(string resourceType, string branch)
        {
            var text = branch;
            string? castTo = null;
            if (text.StartsWith('(') && text.EndsWith(')') && text.IndexOf(" as ", StringComparison.Ordinal) is > 0 and var asAt)
            {
                castTo = text[(asAt + 4)..^1].Trim();
                text = text[1..asAt].Trim();
            }

            string? referenceTo = null;
            const string ResolveIs = ".where(resolve() is ";
            if (text.IndexOf(ResolveIs, StringComparison.Ordinal) is > 0 and var whereAt && text.EndsWith(')'))
            {
                referenceTo = text[(whereAt + ResolveIs.Length)..^1].Trim();
                text = text[..whereAt];
            }

            var steps = text.Split('.')[1..];
            return steps.Length > 0 && steps.All(IsElementName) && (castTo is null || IsElementName(castTo)) && (referenceTo is null || IsElementName(referenceTo))
                ? new ElementPath(steps, castTo, referenceTo)
                : new FhirPathBranch(branch);
        }

        private static bool IsElementName(string step) => step.Length > 0 && step.All(char.IsAsciiLetterOrDigit);
    }

    /// <summary>Element names followed on the POCO, repeats flattened, then the optional cast or reference filter.</summary>
    private sealed class ElementPath(string[] steps, string? castTo, string? referenceTo) : Branch
    {
        public override IEnumerable<Base> Select(Resource resource)
        {
            IEnumerable<Base> current = [resource];
            foreach (var step in steps)
            {
                current = current.SelectMany(value => Child(value, step));
            }

            if (castTo is not null)
            {
                current = current.Where(value => value.TypeName == castTo);
            }

            if (referenceTo is not null)
            {
                // resolve() is T: the reference points at a T. Stored references are "T/id" (or absolute RESTful urls).
                current = current.Where(value => value is ResourceReference { Reference: { } literal } && ReferenceValue.TryNormalize(literal, out var normalized)
                    && normalized.StartsWith(referenceTo + "/", StringComparison.Ordinal));
            }

            return current;
        }

        private static IEnumerable<Base> Child(Base value, string name) =>
            !value.TryGetValue(name, out var child) ? []
            : child is Base single ? [single]
            : child is IEnumerable<Base> list ? list
            : [];
    }

    /// <summary>A branch of another shape: FHIRPath (the SDK keeps its compiled form).</summary>
    private sealed class FhirPathBranch(string expression) : Branch
    {
        public override IEnumerable<Base> Select(Resource resource) => resource.Select(expression).OfType<Base>();
    }
}
