using System.Globalization;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// A protein change in HGVS p. notation, reduced to a canonical one-letter form so that "NP_004324.2:p.(Val600Glu)"
/// (what labs report: three-letter codes, predicted changes in brackets) and "p.V600E" (what trial protocols
/// write) compare equal. The first residue and its position are kept apart for wildcards.
/// </summary>
public sealed partial record ProteinChange(char Reference, int Position, string Canonical)
{
    private static readonly Dictionary<string, char> OneLetter = new(StringComparer.Ordinal)
    {
        ["Ala"] = 'A',
        ["Arg"] = 'R',
        ["Asn"] = 'N',
        ["Asp"] = 'D',
        ["Cys"] = 'C',
        ["Gln"] = 'Q',
        ["Glu"] = 'E',
        ["Gly"] = 'G',
        ["His"] = 'H',
        ["Ile"] = 'I',
        ["Leu"] = 'L',
        ["Lys"] = 'K',
        ["Met"] = 'M',
        ["Phe"] = 'F',
        ["Pro"] = 'P',
        ["Ser"] = 'S',
        ["Thr"] = 'T',
        ["Trp"] = 'W',
        ["Tyr"] = 'Y',
        ["Val"] = 'V',
        ["Sec"] = 'U',
        ["Pyl"] = 'O',
        ["Ter"] = '*',
        ["Xaa"] = 'X',
    };

    /// <summary>Just a residue ("V600"): what a wildcard names.</summary>
    public bool IsResidueOnly => Canonical.Length == 1 + Position.ToString(CultureInfo.InvariantCulture).Length;

    public static bool TryParse(string? text, out ProteinChange? change)
    {
        change = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var expression = text.Trim();
        var colon = expression.LastIndexOf(':');
        if (colon >= 0)
        {
            expression = expression[(colon + 1)..];
        }

        if (!expression.StartsWith("p.", StringComparison.Ordinal))
        {
            return false;
        }

        expression = expression[2..];
        if (expression.StartsWith('(') && expression.EndsWith(')'))
        {
            expression = expression[1..^1];
        }

        var canonical = ThreeLetter().Replace(expression, m => OneLetter.TryGetValue(m.Value, out var letter) ? letter.ToString() : m.Value);
        var start = Start().Match(canonical);
        if (!start.Success || !int.TryParse(start.Groups["position"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return false;
        }

        change = new ProteinChange(start.Groups["residue"].Value[0], position, canonical);
        return true;
    }

    public override string ToString() => "p." + Canonical;

    [GeneratedRegex("[A-Z][a-z]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex ThreeLetter();

    [GeneratedRegex(@"^(?<residue>[A-Z*])(?<position>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Start();
}
