using System.Text;

namespace Impress.Fhir.Tso500;

/// <summary>
/// Splits a CombinedVariantOutput.tsv into its sections. The file is UTF-8 (a byte-order mark is allowed), starts
/// with a banner, and holds <c>[Section]</c> blocks separated by blank lines; every line is padded with tabs to the
/// widest table, and files often end with extra blank lines. Anything else is refused with the line at fault.
/// </summary>
public static class CvoDocumentReader
{
    /// <summary>Larger files are refused: a TSO500 result is tens of kilobytes, and the whole file is held in memory.</summary>
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    private const string BannerMark = "Combined Variant Output";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static CvoDocument Read(ReadOnlySpan<byte> content, string source, int maxBytes = DefaultMaxBytes)
    {
        if (content.Length > maxBytes)
        {
            throw new Tso500FormatException(source, 1, null, $"the file is {content.Length:N0} bytes; a CombinedVariantOutput.tsv is at most {maxBytes:N0}.");
        }

        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new Tso500FormatException(source, LineOfInvalidByte(content), null, "the file is not UTF-8 text.");
        }

        var sections = new List<CvoSection>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        var sectionLine = 0;
        var lines = new List<CvoLine>();
        var sawBanner = false;
        var number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            if (raw.Contains('\0'))
            {
                throw new Tso500FormatException(source, number, name, "the file holds a NUL character: it is not a text file.");
            }

            var cells = SplitCells(raw);
            if (cells.Count == 0)
            {
                continue;
            }

            if (cells is [var only] && only.Length > 2 && only[0] == '[' && only[^1] == ']')
            {
                if (name is not null)
                {
                    sections.Add(new CvoSection(name, sectionLine, lines));
                }

                name = only[1..^1].Trim();
                if (!names.Add(name))
                {
                    throw new Tso500FormatException(source, number, name, "the section appears twice in the file.");
                }

                sectionLine = number;
                lines = [];
                continue;
            }

            if (name is null)
            {
                // The banner: the first line names the format, the second is Illumina's research-use notice.
                if (!sawBanner && !string.Join(' ', cells).Contains(BannerMark, StringComparison.OrdinalIgnoreCase))
                {
                    throw new Tso500FormatException(source, number, null,
                        "expected the banner 'TruSight Oncology 500 - Combined Variant Output' or a [Section]: this is not a TSO500 CombinedVariantOutput.tsv.");
                }

                sawBanner = true;
                continue;
            }

            lines.Add(new CvoLine(number, cells));
        }

        if (name is not null)
        {
            sections.Add(new CvoSection(name, sectionLine, lines));
        }

        if (sections.Count == 0)
        {
            throw new Tso500FormatException(source, Math.Max(1, number), null, "the file has no [Section]: this is not a TSO500 CombinedVariantOutput.tsv.");
        }

        return new CvoDocument(source, sections);
    }

    /// <summary>The cells of a line, each trimmed, without the trailing empty ones.</summary>
    private static List<string> SplitCells(ReadOnlySpan<char> line)
    {
        var cells = new List<string>();
        foreach (var range in line.Split('\t'))
        {
            cells.Add(line[range].Trim().ToString());
        }

        var count = cells.Count;
        while (count > 0 && cells[count - 1].Length == 0)
        {
            count--;
        }

        cells.RemoveRange(count, cells.Count - count);
        return cells;
    }

    private static int LineOfInvalidByte(ReadOnlySpan<byte> content)
    {
        var decoder = new UTF8Encoding(false, true);
        var line = 1;
        var start = 0;
        for (var i = 0; i <= content.Length; i++)
        {
            if (i == content.Length || content[i] == (byte)'\n')
            {
                try
                {
                    decoder.GetCharCount(content[start..i]);
                }
                catch (DecoderFallbackException)
                {
                    return line;
                }

                line++;
                start = i + 1;
            }
        }

        return line;
    }
}
