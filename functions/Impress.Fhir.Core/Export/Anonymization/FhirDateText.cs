using System.Globalization;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A date, dateTime or instant as FHIR writes it (<c>YYYY</c>, <c>YYYY-MM</c>, <c>YYYY-MM-DD</c>, then optionally
/// <c>Thh:mm:ss[.f]</c> and a zone), read by hand: the methods that change dates need its parts, and no regular expression.
/// </summary>
internal readonly record struct FhirDateText(int Year, int Month, int Day, bool HasTime, string Zone)
{
    /// <summary>Whether the value has a day, which a shift needs ("2024" or "2024-05" can only be redacted).</summary>
    public bool HasDay => Day > 0;

    public static bool TryParse(string text, out FhirDateText date)
    {
        date = default;
        if (text.Length < 4 || !TryDigits(text, 0, 4, out var year) || year < 1)
        {
            return false;
        }

        var month = 0;
        var day = 0;
        if (text.Length > 4)
        {
            if (text.Length < 7 || text[4] != '-' || !TryDigits(text, 5, 2, out month) || month is < 1 or > 12)
            {
                return false;
            }

            if (text.Length > 7 && (text.Length < 10 || text[7] != '-' || !TryDigits(text, 8, 2, out day) || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)))
            {
                return false;
            }
        }

        var hasTime = text.Length > 10;
        var zone = "";
        if (hasTime)
        {
            if (text[10] != 'T' || text.Length < 19)
            {
                return false;
            }

            var zoneAt = text.AsSpan(19).IndexOfAny('Z', '+', '-');
            zone = zoneAt < 0 ? "" : text[(19 + zoneAt)..];
        }

        date = new FhirDateText(year, month, day, hasTime, zone);
        return true;
    }

    /// <summary>
    /// Whether the date implies an age over 89 today, taken as a birth date: HIPAA Safe Harbor keeps no date of anyone
    /// that old, since there are few enough of them to be found.
    /// </summary>
    public bool ImpliesAgeOver89(DateOnly today)
    {
        var month = Math.Max(Month, 1);
        var day = Math.Max(Day, 1);
        var age = today.Year - Year - (today.Month < month || (today.Month == month && today.Day < day) ? 1 : 0);
        return age > 89;
    }

    /// <summary>The date moved by whole days; a time of day becomes midnight, keeping its zone, for the time identifies too.</summary>
    public string ShiftedBy(int days)
    {
        var shifted = new DateOnly(Year, Month, Day).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return HasTime ? $"{shifted}T00:00:00{Zone}" : shifted;
    }

    public string YearOnly => Year.ToString("D4", CultureInfo.InvariantCulture);

    private static bool TryDigits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
