using System.Collections;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Schemas;

/// <summary>
/// Pattern and fixed-value comparison of FHIR POCOs, as ElementDefinition.pattern[x] and fixed[x] define them.
/// </summary>
/// <remarks>
/// The validator compares through the element model, and on every mismatch serialises both sides to JSON for its
/// message; a slice discriminator mismatches for all but one slice, so that is most of the work of slicing. This
/// compares the POCOs directly and builds nothing. (The SDK's PatternMatchEqualityComparer is not used: for lists
/// it requires every instance item to match a pattern item, the reverse of what pattern[x] says.)
/// </remarks>
internal static class PocoPattern
{
    /// <summary>Every element present in <paramref name="pattern"/> is in <paramref name="instance"/> with a matching value; repeats match when each pattern item matches some instance item.</summary>
    public static bool Matches(Base instance, Base pattern)
    {
        // Discriminators are nearly always a coding or a concept: compared directly, without walking (and allocating
        // for) every element of both sides.
        switch (pattern)
        {
            case Coding codingPattern when IsCodingOnly(codingPattern):
                return instance is Coding coding && CodingMatches(coding, codingPattern);
            case CodeableConcept conceptPattern when IsCodingsOnly(conceptPattern):
                return instance is CodeableConcept concept && HasEveryCoding(concept, conceptPattern);
        }

        if (pattern is PrimitiveType patternPrimitive)
        {
            if (instance is not PrimitiveType instancePrimitive)
            {
                return false;
            }

            if (patternPrimitive.JsonValue is { } expected && !ValuesEqual(instancePrimitive.JsonValue, expected))
            {
                return false;
            }
        }

        foreach (var (name, patternValue) in pattern.EnumerateElements())
        {
            if (name == "value" && pattern is PrimitiveType)
            {
                continue;
            }

            if (!instance.TryGetValue(name, out var instanceValue))
            {
                return false;
            }

            foreach (var patternItem in Items(patternValue))
            {
                var matched = false;
                foreach (var instanceItem in Items(instanceValue))
                {
                    if (Matches(instanceItem, patternItem))
                    {
                        matched = true;
                        break;
                    }
                }

                if (!matched)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The instance has exactly the elements of <paramref name="expected"/>, with equal values (repeats in any order, as the validator compares them).</summary>
    public static bool IsExactly(Base instance, Base expected) => Matches(instance, expected) && Matches(expected, instance);

    private static bool IsCodingsOnly(CodeableConcept pattern)
    {
        if (pattern is not { TextElement: null, ElementId: null, Extension.Count: 0, HasOverflow: false })
        {
            return false;
        }

        foreach (var coding in pattern.Coding)
        {
            if (!IsCodingOnly(coding))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each coding of the pattern is matched by some coding of the concept (loops: this runs for every slice of every repeat).</summary>
    private static bool HasEveryCoding(CodeableConcept concept, CodeableConcept pattern)
    {
        foreach (var wanted in pattern.Coding)
        {
            var found = false;
            foreach (var coding in concept.Coding)
            {
                if (CodingMatches(coding, wanted))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A coding pattern of plain system, version, code, display and user-selected values.</summary>
    private static bool IsCodingOnly(Coding pattern) =>
        pattern is { ElementId: null, Extension.Count: 0, HasOverflow: false }
        && IsPlainOrNull(pattern.SystemElement) && IsPlainOrNull(pattern.VersionElement) && IsPlainOrNull(pattern.CodeElement)
        && IsPlainOrNull(pattern.DisplayElement) && IsPlainOrNull(pattern.UserSelectedElement);

    private static bool IsPlainOrNull(PrimitiveType? element) => element is null or { ElementId: null, Extension.Count: 0, HasOverflow: false };

    private static bool CodingMatches(Coding instance, Coding pattern) =>
        (pattern.System is null || string.Equals(instance.System, pattern.System, StringComparison.Ordinal))
        && (pattern.Version is null || string.Equals(instance.Version, pattern.Version, StringComparison.Ordinal))
        && (pattern.Code is null || string.Equals(instance.Code, pattern.Code, StringComparison.Ordinal))
        && (pattern.Display is null || string.Equals(instance.Display, pattern.Display, StringComparison.Ordinal))
        && (pattern.UserSelected is null || instance.UserSelected == pattern.UserSelected);

    private static IEnumerable<Base> Items(object value) => value switch
    {
        Base single => [single],
        IEnumerable list => list.OfType<Base>(),
        _ => [],
    };

    private static bool ValuesEqual(object? actual, object expected) => actual switch
    {
        null => false,
        decimal a when expected is decimal e => a == e,
        string a when expected is string e => string.Equals(a, e, StringComparison.Ordinal),
        _ => actual.Equals(expected),
    };
}
