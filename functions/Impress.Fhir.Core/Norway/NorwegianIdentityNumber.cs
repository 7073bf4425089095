namespace Impress.Fhir.Norway;

/// <summary>The kinds of Norwegian person numbers that share the 11-digit fødselsnummer layout.</summary>
public enum NorwegianIdentityNumberKind
{
    /// <summary>Fødselsnummer: DDMMYY, individual number, two check digits.</summary>
    NationalIdentityNumber,

    /// <summary>D-number: a fødselsnummer with 40 added to the day.</summary>
    DNumber,

    /// <summary>H-number (hjelpenummer): 40 added to the month.</summary>
    HNumber,
}

/// <summary>Why a string is not a valid Norwegian person number.</summary>
public enum NorwegianIdentityNumberError
{
    None,
    NotElevenDigits,
    InvalidDate,
    InvalidCheckDigits,
}

/// <summary>
/// A checked Norwegian person number (fødselsnummer, D-number or H-number), including synthetic test numbers
/// (Skatteetaten Tenor: 80 added to the month). The number itself is never part of a message: it identifies a person.
/// </summary>
public readonly record struct NorwegianIdentityNumber(string Value, NorwegianIdentityNumberKind Kind, bool IsSynthetic, DateOnly BirthDate)
{
    private static readonly int[] FirstWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    private static readonly int[] SecondWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    /// <summary>Checks <paramref name="value"/>; on success returns the parsed number, else the reason it is invalid.</summary>
    public static NorwegianIdentityNumberError TryParse(string? value, out NorwegianIdentityNumber number)
    {
        number = default;
        if (value is not { Length: 11 } || !value.All(char.IsAsciiDigit))
        {
            return NorwegianIdentityNumberError.NotElevenDigits;
        }

        Span<int> digits = stackalloc int[11];
        for (var i = 0; i < 11; i++)
        {
            digits[i] = value[i] - '0';
        }

        if (CheckDigit(digits[..9], FirstWeights) != digits[9] || CheckDigit(digits[..10], SecondWeights) != digits[10])
        {
            return NorwegianIdentityNumberError.InvalidCheckDigits;
        }

        var day = (digits[0] * 10) + digits[1];
        var month = (digits[2] * 10) + digits[3];
        var kind = NorwegianIdentityNumberKind.NationalIdentityNumber;
        if (day > 40)
        {
            day -= 40;
            kind = NorwegianIdentityNumberKind.DNumber;
        }

        var synthetic = false;
        if (month > 80)
        {
            month -= 80;
            synthetic = true;
        }
        else if (month > 40)
        {
            month -= 40;
            kind = NorwegianIdentityNumberKind.HNumber;
        }

        var year = Century((digits[4] * 10) + digits[5], (digits[6] * 100) + (digits[7] * 10) + digits[8]);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return NorwegianIdentityNumberError.InvalidDate;
        }

        number = new NorwegianIdentityNumber(value, kind, synthetic, new DateOnly(year, month, day));
        return NorwegianIdentityNumberError.None;
    }

    /// <summary>A mod-11 check digit; -1 when the remainder makes it 10, which no valid number has.</summary>
    private static int CheckDigit(ReadOnlySpan<int> digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += digits[i] * weights[i];
        }

        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => -1,
            _ => check,
        };
    }

    /// <summary>The full birth year from the two-digit year and the individual number (Skatteetaten's ranges).</summary>
    private static int Century(int yy, int individual) => individual switch
    {
        <= 499 => 1900 + yy,
        <= 749 when yy >= 54 => 1800 + yy,
        >= 900 when yy >= 40 => 1900 + yy,
        >= 500 when yy <= 39 => 2000 + yy,
        // Ranges the register does not assign yet: judge the date in a leap year so 29 February is not refused.
        _ => 2000,
    };
}
