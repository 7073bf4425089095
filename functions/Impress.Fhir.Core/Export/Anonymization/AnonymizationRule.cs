using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// One of a policy's <c>fhirPathRules</c>: a FHIRPath selecting elements and the method applied to them. Rules apply in
/// the policy's order, and an element an earlier rule processed is not processed again.
/// </summary>
public sealed class AnonymizationRule
{
    internal AnonymizationRule(int index, string path, AnonymizationMethod method, NodeSelector selector)
    {
        Index = index;
        Path = path;
        Method = method;
        Selector = selector;
    }

    /// <summary>The rule's place in <c>fhirPathRules</c>, from 0, as messages name it.</summary>
    public int Index { get; }

    public string Path { get; }

    public AnonymizationMethod Method { get; }

    /// <summary>The replacement of a substitute rule; null for other methods.</summary>
    public SubstituteSettings? Substitute { get; internal init; }

    /// <summary>The noise of a perturb rule; null for other methods.</summary>
    public PerturbSettings? Perturb { get; internal init; }

    /// <summary>The cases of a generalize rule; null for other methods.</summary>
    public GeneralizeSettings? Generalize { get; internal init; }

    /// <summary>The path, compiled once when the policy was read.</summary>
    internal NodeSelector Selector { get; }

    /// <summary>The generalize cases' expressions, compiled once when the policy was read, in the cases' order.</summary>
    internal IReadOnlyList<(CompiledExpression Condition, CompiledExpression Value)> CompiledCases { get; init; } = [];

    /// <summary>How messages name the rule, e.g. "fhirPathRules[3] (cryptoHash)".</summary>
    public override string ToString() => $"fhirPathRules[{Index}] ({AnonymizationMethods.NameOf(Method)})";
}
