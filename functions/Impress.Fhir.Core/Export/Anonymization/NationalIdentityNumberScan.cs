using Impress.Fhir.Norway;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Finds fødselsnumre and D-numbers (and H-numbers, and the synthetic test numbers) in text: a run of exactly eleven digits, or of six and five with a space or a dot
/// between ("150384 48239", as people write them), that passes the check digits and holds a real date. A wrong check
/// digit means it is some other number (a sample id, an accession number), and it stays.
/// </summary>
internal static class NationalIdentityNumberScan
{
    private const int Digits = 11;

    /// <summary>Adds the spans of the numbers in text[start..end] to <paramref name="found"/>, made on the first.</summary>
    public static void Find(string text, int start, int end, ref List<(int Start, int Length)>? found)
    {
        var i = start;
        while (i < end)
        {
            var next = text.AsSpan(i, end - i).IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                return;
            }

            var runStart = i + next;
            var runEnd = RunEnd(text, runStart, end);
            var length = runEnd - runStart;
            if (length == Digits && IsNumber(text.AsSpan(runStart, Digits), default))
            {
                (found ??= []).Add((runStart, Digits));
            }
            else if (length == 6 && runEnd + 6 <= end && text[runEnd] is ' ' or '.' && RunEnd(text, runEnd + 1, end) == runEnd + 6
                && IsNumber(text.AsSpan(runStart, 6), text.AsSpan(runEnd + 1, 5)))
            {
                (found ??= []).Add((runStart, 12));
                runEnd += 6;
            }

            i = runEnd;
        }
    }

    /// <summary>Whether the text may hold a number at all: cheaper than finding one, and nearly every string fails it.</summary>
    public static bool MayOccurIn(ReadOnlySpan<char> text) => text.Length >= Digits && text.IndexOfAnyInRange('0', '9') >= 0;

    private static int RunEnd(string text, int start, int end)
    {
        var i = start;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsNumber(ReadOnlySpan<char> first, ReadOnlySpan<char> rest)
    {
        Span<char> digits = stackalloc char[Digits];
        first.CopyTo(digits);
        rest.CopyTo(digits[first.Length..]);
        return NorwegianIdentityNumber.TryParse(new string(digits), out _) == NorwegianIdentityNumberError.None;
    }
}
