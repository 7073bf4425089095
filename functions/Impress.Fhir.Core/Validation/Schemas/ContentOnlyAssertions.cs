using Firely.Fhir.Validation;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// Tells whether a compiled assertion judges a value by the value's own content alone, so that two values with the
/// same <see cref="ContentKey"/> always get the same outcome from it.
/// </summary>
/// <remarks>
/// Only building blocks known to look at nothing but the element they are given (and its children) qualify:
/// structure, cardinality, fixed and pattern values, bindings, primitive formats, slicing on such conditions, and
/// FHIRPath invariants that do not reach out of the element (through %resource, %rootResource, %context or
/// resolve()). References to core datatype schemas qualify; what those schemas could look at beyond the value (a
/// Reference's ref-1, an extension's context) only comes into play for values that hold a reference or an
/// extension, and those have no content key. Anything else, including any building block this does not know,
/// does not qualify.
/// </remarks>
internal static class ContentOnlyAssertions
{
    private static readonly string[] OutwardFhirPath = ["%resource", "%rootResource", "%context", "resolve()"];

    public static bool Qualifies(IAssertion assertion) => assertion switch
    {
        MemoizedAssertion memoized => Qualifies(memoized.Inner),
        ResourceSchema => false,
        ElementSchema or ChildrenValidator or AllValidator or AnyValidator => ((IAssertionContainer)assertion).Children().All(child => Qualifies(child.Child)),
        SliceValidator slicing => slicing.Slices.All(slice => Qualifies(slice.Condition) && Qualifies(slice.Assertion)) && Qualifies(slicing.Default),
        PathSelectorValidator selector => !ReachesOut(selector.Path) && Qualifies(selector.Other),
        SchemaReferenceValidator reference => IsCoreType(reference.SchemaUri),
        FhirPathValidator invariant => !ReachesOut(invariant.Expression),
        InvariantShortcut shortcut => Qualifies(shortcut.Inner),
        ElementMatchCondition or CountingCardinalityValidator or RememberingBindingValidator => true,
        CardinalityValidator or PatternValidator or FixedValidator or BindingValidator or FhirTypeLabelValidator => true,
        FhirEle1Validator or FhirExt1Validator or FhirTxt1Validator or FhirTxt2Validator => true,
        RequiredValidator or RegExValidator or MaxLengthValidator or MinMaxValueValidator or FhirStringValidator or FhirUriValidator => true,
        ResultAssertion or IssueAssertion or BaseType => true,
        _ => false,
    };

    /// <summary>A FHIR core datatype or resource, or one of FHIRPath's system types (the type of every element id).</summary>
    private static bool IsCoreType(Canonical schema) =>
        schema.Uri is { } uri && (uri.StartsWith(SchemaRewriter.CoreStructureDefinition, StringComparison.Ordinal) || uri.StartsWith("http://hl7.org/fhirpath/System.", StringComparison.Ordinal));

    private static bool ReachesOut(string fhirPath) => OutwardFhirPath.Any(term => fhirPath.Contains(term, StringComparison.Ordinal));
}
