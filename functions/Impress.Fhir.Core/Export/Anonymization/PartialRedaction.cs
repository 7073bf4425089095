using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// What a redaction may keep, as the parameters allow (HIPAA Safe Harbor's exceptions, as Microsoft's tool applies
/// them): the year of a date that implies no age over 89, an Age of at most 89 years, the first three characters of a
/// postal code.
/// </summary>
internal sealed class PartialRedaction(AnonymizationParameters parameters)
{
    /// <summary>Reduces the element to the part it may keep and returns true, or returns false when it must go whole.</summary>
    public bool TryKeepPart(ElementNode node, DateOnly today)
    {
        if (parameters.EnablePartialDatesForRedact && node.Kind.IsDate())
        {
            return node.Value is PrimitiveType { JsonValue: string text } && FhirDateText.TryParse(text, out var date) && TryKeepYear(node, date, today);
        }

        if (parameters.EnablePartialAgesForRedact && IsAge(node, out var age))
        {
            return age is { } value && YearsOf(value) <= 89;
        }

        if (parameters.EnablePartialZipCodesForRedact && node is { Name: "postalCode", Kind: PrimitiveKind.Text, Value: PrimitiveType { JsonValue: string code } })
        {
            node.SetValue(Generalize(code));
            return true;
        }

        return false;
    }

    /// <summary>Redacts a date a date shift could not move: its year stays if the parameters allow, else it goes.</summary>
    public void RedactDate(ElementNode node, FhirDateText date, DateOnly today)
    {
        if (!(parameters.EnablePartialDatesForRedact && TryKeepYear(node, date, today)))
        {
            node.SetValue(null);
        }
    }

    private static bool TryKeepYear(ElementNode node, FhirDateText date, DateOnly today)
    {
        if (date.ImpliesAgeOver89(today))
        {
            return false;
        }

        node.SetValue(date.YearOnly);
        return true;
    }

    /// <summary>An Age, or the value of one: both are the age, for partial redaction.</summary>
    private static bool IsAge(ElementNode node, out Age? age)
    {
        age = node.Value as Age ?? (node is { Name: "value", Kind: PrimitiveKind.Decimal } ? node.Parent?.Value as Age : null);
        return age is not null;
    }

    /// <summary>The age in years from its UCUM unit; an unknown unit counts as years, which keeps fewer ages.</summary>
    private static decimal YearsOf(Age age) => (age.Value ?? 0) / (age.Code switch
    {
        "mo" => 12m,
        "wk" => 52.1775m,
        "d" => 365.25m,
        "h" => 8_766m,
        "min" => 525_960m,
        _ => 1m,
    });

    private string Generalize(string code)
    {
        var restricted = parameters.RestrictedZipCodeTabulationAreas.Any(area => code.StartsWith(area, StringComparison.Ordinal));
        return restricted ? ZeroDigits(code) : code.Length >= 3 ? string.Concat(code.AsSpan(0, 3), ZeroDigits(code[3..])) : code;
    }

    private static string ZeroDigits(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsAsciiDigit(source[i]) ? '0' : source[i];
        }
    });
}
