using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The FHIRPath of anonymization rules: standard FHIRPath with the SDK's FHIR functions, plus the two functions of
/// Microsoft's format, <c>nodesByType('T')</c> and <c>nodesByName('n')</c>, which find the descendants of a type or a
/// name without entering resources nested in the focus (each is anonymized as a resource of its own).
/// </summary>
internal static class RuleFhirPath
{
    private static readonly FhirPathCompiler Compiler = new(CreateSymbols());
    private static readonly Lock CompilerLock = new();

    /// <summary>Compiles an expression; FormatException for bad syntax, ArgumentException for an unknown function.</summary>
    public static CompiledExpression Compile(string expression)
    {
        lock (CompilerLock)
        {
            return Compiler.Compile(expression);
        }
    }

    private static SymbolTable CreateSymbols()
    {
        var symbols = new SymbolTable().AddStandardFP().AddFhirExtensions();
        symbols.Add("nodesByType", (IEnumerable<PocoNode> focus, string type) => Descendants(focus).Where(node => FhirTypeNames.InstanceTypeOf(node.Poco) == type));
        symbols.Add("nodesByName", (IEnumerable<PocoNode> focus, string name) => Descendants(focus).Where(node => node.Name == name));
        return symbols;
    }

    private static IEnumerable<PocoNode> Descendants(IEnumerable<PocoNode> focus)
    {
        var pending = new Stack<PocoNode>(focus.Reverse());
        var isFocus = pending.ToHashSet(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var node))
        {
            if (!isFocus.Contains(node))
            {
                yield return node;
                if (node.Poco is Resource)
                {
                    continue;
                }
            }

            foreach (var child in node.Children().SelectMany(children => children).Reverse())
            {
                pending.Push(child);
            }
        }
    }
}
