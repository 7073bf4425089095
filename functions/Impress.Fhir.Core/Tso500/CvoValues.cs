using System.Globalization;

namespace Impress.Fhir.Tso500;

/// <summary>Reads the values of a section's cells, refusing a malformed one with its line, section and column.</summary>
internal readonly struct CvoValues(string source, string section)
{
    public string Source => source;

    public string Section => section;

    /// <summary>The cell's text, or null when it is empty or NA.</summary>
    public static string? Text(string cell) => cell.Length == 0 || cell.Equals("NA", StringComparison.OrdinalIgnoreCase) ? null : cell;

    public decimal? Decimal(int line, string column, string cell, decimal min = decimal.MinValue, decimal max = decimal.MaxValue)
    {
        if (Text(cell) is not { } text)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(line, $"{column} '{cell}' is not a number.");
        }

        if (value < min || value > max)
        {
            throw Error(line, max == decimal.MaxValue ? $"{column} {cell} is below {min}." : $"{column} {cell} is outside {min}-{max}.");
        }

        return value;
    }

    public int? Integer(int line, string column, string cell)
    {
        if (Text(cell) is not { } text)
        {
            return null;
        }

        // Counts are whole numbers, though some pipelines write them as "352.0".
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value != decimal.Truncate(value) || value < 0 || value > int.MaxValue)
        {
            throw Error(line, $"{column} '{cell}' is not a count (a whole number, 0 or more).");
        }

        return (int)value;
    }

    public long Position(int line, string column, string cell)
    {
        if (!long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position < 1)
        {
            throw Error(line, $"{column} '{cell}' is not a genomic position (a whole number from 1).");
        }

        return position;
    }

    public Tso500FormatException Error(int line, string problem) => new(source, line, section, problem);
}
