using Firely.Fhir.Validation;
using ModelInfo = Hl7.Fhir.Model.ModelInfo;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// Rewrites compiled schemas so that they validate the same, with less work. Each rewrite decides only what it is
/// sure of and leaves the rest to the validator's own building block, so the issues reported, their messages and
/// their locations are the validator's.
/// <list type="bullet">
/// <item>Slice discriminators on pattern and fixed values run as <see cref="ElementMatchCondition"/>s. Each repeat
/// of a sliced element is tested against every slice's discriminator: for a variant's components that is hundreds
/// of tests per Observation, and the validator's own test serialises both sides to JSON whenever it does not match.
/// A discriminator that also checks something else (a required binding) keeps that check, behind the fast test.</item>
/// <item>Example and preferred bindings, which the validator never reports on unless told to check non-required
/// bindings, are dropped: it would still parse every such element to find that out. Required and extensible
/// bindings remember the values that passed (<see cref="RememberingBindingValidator"/>).</item>
/// <item>Cardinality checks count (<see cref="CountingCardinalityValidator"/>); known core invariants get a quick
/// test in code (<see cref="InvariantShortcut"/>).</item>
/// <item>Datatype schemas, slices and elements that judge a value by its content alone pass content that already
/// passed them clean (<see cref="MemoizedAssertion"/>).</item>
/// </list>
/// </summary>
/// <param name="isExcluded">What the validation settings exclude, by the assertion's type and state: it stays as it is.</param>
internal sealed class SchemaRewriter(Predicate<IAssertion> isExcluded)
{
    internal const string CoreStructureDefinition = "http://hl7.org/fhir/StructureDefinition/";

    /// <summary>Values that validated clean; bounded so that the memory distinct values take stays small (some tens of MB).</summary>
    private readonly BoundedKeySet _validated = new(capacity: 100_000);
    private int _inlineSchemas;

    public ElementSchema Rewrite(ElementSchema schema) => (ElementSchema)Rewrite(AssertionStep.Member(), schema);

    private IAssertion Rewrite(AssertionStep step, IAssertion assertion) => assertion switch
    {
        _ when isExcluded(assertion) => assertion,
        SchemaReferenceValidator reference when IsContentOnlyDatatype(reference.SchemaUri) => new MemoizedAssertion(reference, reference.SchemaUri.ToString(), _validated),
        ElementSchema inline and not ResourceSchema when step.Kind is AssertionStepKind.Child or AssertionStepKind.Slice => RewriteInline(step, inline),
        SliceValidator slicing => RewriteSlicing(slicing),
        BindingValidator binding when IsNeverReported(binding) => ResultAssertion.SUCCESS,
        BindingValidator binding => new RememberingBindingValidator(binding),
        CardinalityValidator cardinality => new CountingCardinalityValidator(cardinality),
        FhirPathValidator invariant when KnownInvariants.TryGetShortcut(invariant, out var surelyHolds) => new InvariantShortcut(invariant, surelyHolds),
        IAssertionContainer container => container.WithChildren(Rewrite),
        _ => assertion,
    };

    /// <summary>
    /// An element's or a slice's own schema, memoized when it judges by content alone. A sliced element is not: it
    /// is judged as the group of all its repeats, which seldom recurs; its slices are memoized one by one, and what
    /// it asserts of each repeat's children, repeat by repeat.
    /// </summary>
    private IAssertion RewriteInline(AssertionStep step, ElementSchema inline)
    {
        var rewritten = (ElementSchema)((IAssertionContainer)inline).WithChildren(Rewrite);
        var sliced = ((IAssertionContainer)rewritten).Children().Any(member => member.Child is SliceValidator);
        if (!sliced)
        {
            return ContentOnlyAssertions.Qualifies(rewritten) ? Memoize(rewritten, step) : rewritten;
        }

        return ((IAssertionContainer)rewritten).WithChildren((_, member) =>
            member is ChildrenValidator children && ContentOnlyAssertions.Qualifies(children) ? Memoize(children, step) : member);
    }

    private MemoizedAssertion Memoize(IValidatable assertion, AssertionStep step) =>
        new(assertion, $"#{Interlocked.Increment(ref _inlineSchemas)} {step}", _validated);

    private SliceValidator RewriteSlicing(SliceValidator slicing)
    {
        var slices = slicing.Slices
            .Select(slice => new SliceValidator.SliceCase(slice.Name, RewriteCondition(slice.Condition), Rewrite(AssertionStep.Slice(slice.Name), slice.Assertion), slice.Required))
            .ToArray();
        return new SliceValidator(slicing.Ordered, slicing.DefaultAtEnd, Rewrite(AssertionStep.Member(), slicing.Default), slices, slicing.MultiCase);
    }

    private static IAssertion RewriteCondition(IAssertion condition)
    {
        switch (condition)
        {
            case AllValidator all:
                return new AllValidator(all.Members.Select(RewriteCondition), all.ShortcircuitEvaluation);
            case PathSelectorValidator selector when ElementMatchCondition.CanFollow(selector.Path):
                var checks = selector.Other is AllValidator group ? group.Members : [selector.Other];
                var expected = new List<ElementMatchCondition.ExpectedValue>();
                var remaining = false;
                foreach (var check in checks)
                {
                    switch (check)
                    {
                        case PatternValidator pattern:
                            expected.Add(new(pattern.PatternValue.Poco, Exact: false));
                            break;
                        case FixedValidator fixedValue:
                            expected.Add(new(fixedValue.FixedValue.Poco, Exact: true));
                            break;
                        case BindingValidator binding when IsNeverReported(binding):
                            break;
                        default:
                            remaining = true;
                            break;
                    }
                }

                if (expected.Count == 0)
                {
                    return condition;
                }

                var fast = new ElementMatchCondition(selector.Path, expected);
                return remaining ? new AllValidator(shortcircuitEvaluation: true, fast, condition) : fast;
            default:
                return condition;
        }
    }

    /// <summary>
    /// A core datatype whose schema judges a value by its content alone. Extension is not (its context rules depend
    /// on where it stands), nor is a Reference into the contained resources (ref-1); those have no content key,
    /// nor does any value that holds them (<see cref="ContentKey"/>).
    /// </summary>
    private static bool IsContentOnlyDatatype(Canonical schema)
    {
        var uri = schema.Uri;
        if (uri is null || schema.HasAnchor || !uri.StartsWith(CoreStructureDefinition, StringComparison.Ordinal))
        {
            return false;
        }

        var type = uri[CoreStructureDefinition.Length..];
        return type is not ("Extension" or "Element" or "BackboneElement")
            && (ModelInfo.IsPrimitive(type) || ModelInfo.IsDataType(type) || type is "SimpleQuantity" or "MoneyQuantity");
    }

    /// <summary>Example and preferred bindings only produce issues when non-required bindings are checked.</summary>
    private static bool IsNeverReported(BindingValidator binding) =>
        binding.Strength is BindingValidator.BindingStrength.Example or BindingValidator.BindingStrength.Preferred
        && !binding.Checks.HasFlag(CodedContentChecks.NonRequiredBindings);
}
