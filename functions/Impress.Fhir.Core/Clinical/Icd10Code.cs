using System.Globalization;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Clinical;

/// <summary>
/// An ICD-10 code as Norwegian hospitals write it: a letter, two digits, and an optional subdivision after a dot
/// ("C18.7"). The dot may be left out ("C187"); the code is kept in the dotted form.
/// </summary>
public readonly partial record struct Icd10Code
{
    public const string System = "http://hl7.org/fhir/sid/icd-10";

    private Icd10Code(string value) => Value = value;

    public string Value { get; }

    /// <summary>The three-character category, e.g. "C18" for "C18.7".</summary>
    public string Category => Value[..3];

    /// <summary>A malignant neoplasm (C00-C97) or an in situ / uncertain neoplasm (D00-D48).</summary>
    public bool IsNeoplasm => Value[0] == 'C' || (Value[0] == 'D' && int.Parse(Value.AsSpan(1, 2), CultureInfo.InvariantCulture) <= 48);

    public static bool TryParse(string? text, out Icd10Code code)
    {
        code = default;
        var match = text is null ? null : Pattern().Match(text.Trim().ToUpperInvariant());
        if (match is not { Success: true })
        {
            return false;
        }

        var subdivision = match.Groups["subdivision"].Value;
        code = new Icd10Code(match.Groups["category"].Value + (subdivision.Length > 0 ? "." + subdivision : ""));
        return true;
    }

    public override string ToString() => Value;

    [GeneratedRegex(@"^(?<category>[A-Z][0-9]{2})\.?(?<subdivision>[0-9A-Z]{0,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
