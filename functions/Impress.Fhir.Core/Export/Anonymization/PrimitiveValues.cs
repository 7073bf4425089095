using System.Globalization;
using System.Text.Json;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Values for primitive elements from outside the resource (a substitute's JSON, a generalize expression's result), in
/// the form the SDK holds for the element's type (its JSON value): int for the integers, decimal, bool, and text for the
/// rest, integer64 included (JSON writes it as a string).
/// </summary>
internal static class PrimitiveValues
{
    /// <summary>The value of a JSON primitive for an element of this kind; false when it is not one (an object, "abc" for an integer).</summary>
    public static bool TryFromJson(JsonElement json, PrimitiveKind kind, out object? value)
    {
        value = null;
        return json.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.String => TryFromText(json.GetString()!, kind, out value),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => TryFromText(json.GetRawText(), kind, out value),
            _ => false,
        };
    }

    /// <summary>The value of a FHIRPath result (a string, a number, a boolean, a FHIRPath date) for an element of this kind.</summary>
    public static bool TryFromResult(object? result, PrimitiveKind kind, out object? value)
    {
        value = null;
        return result switch
        {
            null => true,
            bool flag => TryFromText(flag ? "true" : "false", kind, out value),
            IFormattable formattable => TryFromText(formattable.ToString(null, CultureInfo.InvariantCulture), kind, out value),
            _ => TryFromText(result.ToString() ?? "", kind, out value),
        };
    }

    private static bool TryFromText(string text, PrimitiveKind kind, out object? value)
    {
        var invariant = CultureInfo.InvariantCulture;
        value = null;
        switch (kind)
        {
            case PrimitiveKind.Integer or PrimitiveKind.PositiveInt or PrimitiveKind.UnsignedInt:
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var integer)
                    || (kind == PrimitiveKind.PositiveInt && integer < 1) || (kind == PrimitiveKind.UnsignedInt && integer < 0))
                {
                    return false;
                }

                value = integer;
                return true;
            case PrimitiveKind.Integer64:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var integer64))
                {
                    return false;
                }

                value = integer64.ToString(invariant);
                return true;
            case PrimitiveKind.Decimal:
                if (!decimal.TryParse(text, NumberStyles.Float, invariant, out var number))
                {
                    return false;
                }

                value = number;
                return true;
            case PrimitiveKind.Boolean:
                if (!bool.TryParse(text, out var flag))
                {
                    return false;
                }

                value = flag;
                return true;
            case PrimitiveKind.Date or PrimitiveKind.DateTime or PrimitiveKind.Instant:
                value = text;
                return FhirDateText.TryParse(text, out _);
            default:
                value = text;
                return true;
        }
    }
}
