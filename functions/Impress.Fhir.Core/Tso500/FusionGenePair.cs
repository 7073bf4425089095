using System.Text.RegularExpressions;

namespace Impress.Fhir.Tso500;

/// <summary>
/// Reads the Gene Pair of a fusion row into its 5' and 3' partners. Partners are joined by <c>-</c> (by <c>/</c>
/// when a candidate name needs it, and <c>::</c> in current HGNC fusion nomenclature); where a breakpoint lies in
/// overlapping genes, the candidates of one partner are joined by <c>;</c>: <c>SLC34A2-ROS1;GOPC</c> is SLC34A2
/// joined to ROS1 or GOPC. Gene symbols may themselves hold a hyphen (NKX2-1), so a <c>-</c> pair is split where
/// the most partner names are genes the panel knows.
/// </summary>
public static partial class FusionGenePair
{
    public static bool TryParse(string text, Func<string, bool> isKnownGene, out IReadOnlyList<string> fivePrime, out IReadOnlyList<string> threePrime)
    {
        fivePrime = threePrime = [];
        foreach (var separator in new[] { "::", "/" })
        {
            var at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 0)
            {
                return TrySides(text[..at], text[(at + separator.Length)..], out fivePrime, out threePrime);
            }
        }

        var best = -1;
        var bestScore = -1;
        for (var at = text.IndexOf('-'); at >= 0; at = text.IndexOf('-', at + 1))
        {
            if (!TrySides(text[..at], text[(at + 1)..], out var left, out var right))
            {
                continue;
            }

            // Known genes first; then a split whose 3' side does not start with a digit (NKX2-1 is not NKX2 + 1...).
            var score = (left.Concat(right).Count(isKnownGene) * 2) + (char.IsAsciiDigit(text[at + 1]) ? 0 : 1);
            if (score > bestScore)
            {
                (best, bestScore) = (at, score);
            }
        }

        return best >= 0 && TrySides(text[..best], text[(best + 1)..], out fivePrime, out threePrime);
    }

    private static bool TrySides(string left, string right, out IReadOnlyList<string> fivePrime, out IReadOnlyList<string> threePrime)
    {
        fivePrime = Candidates(left);
        threePrime = Candidates(right);
        return fivePrime.Count > 0 && threePrime.Count > 0 && fivePrime.Concat(threePrime).All(g => Symbol().IsMatch(g));
    }

    private static string[] Candidates(string side) => side.Split(';', StringSplitOptions.TrimEntries);

    /// <summary>An HGNC symbol or a clone-based name (AC016683.6): letters, digits, and inner '.', '_' or '-'.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Symbol();
}
