using System.Collections;
using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Schemas;

/// <summary>
/// A string that is equal for two datatype values exactly when their content is, for values whose validation
/// depends on their content alone.
/// </summary>
internal static class ContentKey
{
    [ThreadStatic]
    private static StringBuilder? _builder;

    /// <summary>
    /// The key of <paramref name="value"/>, or null when its validation may depend on more than its content: it holds
    /// an extension (whose definition and context rules depend on where it stands), a reference (which the validator
    /// resolves in the surrounding resource or bundle) or a resource. A reference itself has a key unless it points
    /// into the resource's contained resources ("#..."): the Reference datatype's one outward-looking check (ref-1)
    /// passes any other reference on its content; resolving the target is the referring element's business.
    /// </summary>
    public static string? Of(Base value)
    {
        var builder = _builder ??= new StringBuilder(256);
        builder.Clear();
        var keyed = value is ResourceReference reference
            ? reference.Reference is { } literal && !literal.StartsWith('#') && TryAppendElements(builder.Append("Reference"), reference)
            : TryAppend(builder, value);
        var key = keyed ? builder.ToString() : null;
        if (builder.Capacity > 4096)
        {
            _builder = null;
        }

        return key;
    }

    private static bool TryAppend(StringBuilder key, Base value)
    {
        // The datatypes of nearly every value get a direct encoding; walking a POCO's elements allocates per element.
        if (!value.HasOverflow)
        {
            switch (value)
            {
                case PrimitiveType primitive when IsPlain(primitive):
                    key.Append(primitive.TypeName);
                    AppendLiteral(key, primitive.JsonValue);
                    key.Append("{}");
                    return true;
                case Coding coding when IsPlain(coding):
                    return AppendCoding(key, coding);
                case CodeableConcept concept when IsPlain(concept) && IsPlainOrNull(concept.TextElement):
                    key.Append("CodeableConcept{text:");
                    AppendLiteral(key, concept.Text);
                    key.Append(";coding:[");
                    foreach (var coding in concept.Coding)
                    {
                        if (!IsPlain(coding) || !AppendCoding(key, coding))
                        {
                            return false;
                        }

                        key.Append(',');
                    }

                    key.Append("]}");
                    return true;
            }
        }

        switch (value)
        {
            case Extension or ResourceReference or Resource:
                return false;
            case PrimitiveType primitive:
                key.Append(primitive.TypeName);
                AppendLiteral(key, primitive.JsonValue);
                break;
            default:
                key.Append(value.TypeName);
                break;
        }

        return TryAppendElements(key, value);
    }

    private static bool TryAppendElements(StringBuilder key, Base value)
    {
        key.Append('{');
        foreach (var (name, child) in value.EnumerateElements())
        {
            if (value is PrimitiveType && name == "value")
            {
                continue;
            }

            key.Append(name).Append(':');
            if (child is Base single)
            {
                if (!TryAppend(key, single))
                {
                    return false;
                }
            }
            else if (child is IEnumerable list and not string)
            {
                key.Append('[');
                foreach (var item in list)
                {
                    if (item is not Base element || !TryAppend(key, element))
                    {
                        return false;
                    }

                    key.Append(',');
                }

                key.Append(']');
            }
            else
            {
                AppendLiteral(key, child);
            }

            key.Append(';');
        }

        key.Append('}');
        return true;
    }

    /// <summary>Coding, each of whose elements is a plain primitive or absent.</summary>
    private static bool AppendCoding(StringBuilder key, Coding coding)
    {
        if (!IsPlainOrNull(coding.SystemElement) || !IsPlainOrNull(coding.VersionElement) || !IsPlainOrNull(coding.CodeElement)
            || !IsPlainOrNull(coding.DisplayElement) || !IsPlainOrNull(coding.UserSelectedElement))
        {
            return false;
        }

        key.Append("Coding{");
        AppendLiteral(key, coding.System);
        key.Append('|');
        AppendLiteral(key, coding.Version);
        key.Append('|');
        AppendLiteral(key, coding.Code);
        key.Append('|');
        AppendLiteral(key, coding.Display);
        key.Append('|');
        AppendLiteral(key, coding.UserSelectedElement?.Value);
        key.Append('}');
        return true;
    }

    /// <summary>No element id, no extension, nothing unknown to the model.</summary>
    private static bool IsPlain(Element element) => element.ElementId is null && element.Extension.Count == 0 && !element.HasOverflow;

    private static bool IsPlainOrNull(Element? element) => element is null || IsPlain(element);

    /// <summary>A literal in quotes (with quotes and backslashes inside it escaped), or ~ for none: no two values share a key.</summary>
    private static void AppendLiteral(StringBuilder key, object? literal)
    {
        var text = literal switch
        {
            null => null,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => literal.ToString(),
        };

        if (text is null)
        {
            key.Append('~');
            return;
        }

        key.Append('"').Append(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
    }
}
