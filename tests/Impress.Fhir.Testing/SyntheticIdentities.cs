using System.Globalization;

namespace Impress.Fhir.Testing;

/// <summary>Synthetic Norwegian national identity numbers (Tenor style: month + 80), never a real person's.</summary>
public static class SyntheticIdentities
{
    /// <summary>Completes nine digits with the two mod-11 check digits, or null where no valid number exists.</summary>
    public static string? WithCheckDigits(string nineDigits)
    {
        int[] w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
        int[] w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var digits = nineDigits.Select(c => c - '0').ToList();
        foreach (var weights in new[] { w1, w2 })
        {
            var check = 11 - (digits.Select((d, i) => d * weights[i]).Sum() % 11);
            if (check == 10)
            {
                return null;
            }

            digits.Add(check == 11 ? 0 : check);
        }

        return string.Concat(digits);
    }

    /// <summary>The <paramref name="n"/>th synthetic fødselsnummer: distinct for n below about 8 million.</summary>
    public static string NationalId(int n)
    {
        var day = 1 + (n % 28);
        var month = 81 + (n / 28 % 12);
        var year = 40 + (n / 336 % 50);
        var ddmmyy = string.Create(CultureInfo.InvariantCulture, $"{day:D2}{month:D2}{year:D2}");
        var start = n / 16_800 % 500;
        for (var individual = start; individual < start + 500; individual++)
        {
            if (WithCheckDigits(ddmmyy + (individual % 500).ToString("D3", CultureInfo.InvariantCulture)) is { } number)
            {
                return number;
            }
        }

        throw new InvalidOperationException($"No synthetic number for {n}.");
    }
}
