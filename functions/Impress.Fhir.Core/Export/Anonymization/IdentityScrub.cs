using System.Text;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The scrub after the rules: what the rules left in text (free text, a display, a filename, a narrative a policy kept)
/// may still name the patient or carry their national id, typed by someone at the hospital. Every readable string is
/// searched; pseudonyms, ciphertexts and policy constants are not (a hash may hold eleven digits in a row). Most strings
/// have no digit run or name in them and cost one vectorised search each.
/// </summary>
internal sealed class IdentityScrub(bool nationalIds, bool names)
{
    public const string NationalIdMark = "[national id]";
    public const string NameMark = "[name]";

    public bool IsActive => nationalIds || names;

    public void Apply(ResourceTree tree, AnonymizationSubject subject)
    {
        var pattern = names ? NamePattern.For(subject) : null;
        if (!nationalIds && (pattern is null || pattern.IsEmpty))
        {
            return;
        }

        foreach (var node in tree.Nodes)
        {
            if (node.IsRoot)
            {
                continue;
            }

            if (node.IsRemoved || node.IsPseudonym || node.Parent!.IsOutOfScrub)
            {
                node.MarkOutOfScrub();
                continue;
            }

            if (node.Kind.IsReadableText() && node.Value is PrimitiveType { JsonValue: string text })
            {
                var scrubbed = Scrub(text, node.Kind == PrimitiveKind.Xhtml, pattern);
                if (!ReferenceEquals(scrubbed, text))
                {
                    node.SetValue(scrubbed);
                }
            }
        }
    }

    /// <summary>The text with national ids and names replaced; the same instance when there is nothing to replace.</summary>
    public string Scrub(string text, bool isMarkup, NamePattern? pattern)
    {
        var span = text.AsSpan();
        var findIds = nationalIds && NationalIdentityNumberScan.MayOccurIn(span);
        var findNames = pattern is not null && pattern.MayOccurIn(span);
        if (!findIds && !findNames)
        {
            return text;
        }

        List<(int Start, int Length)>? found = null;
        if (!isMarkup)
        {
            Find(text, 0, text.Length, findIds, findNames ? pattern : null, ref found);
        }
        else
        {
            foreach (var (start, end) in TextRuns(text))
            {
                Find(text, start, end, findIds, findNames ? pattern : null, ref found);
            }
        }

        return found is null ? text : Replace(text, found);
    }

    private static void Find(string text, int start, int end, bool findIds, NamePattern? pattern, ref List<(int Start, int Length)>? found)
    {
        if (findIds)
        {
            NationalIdentityNumberScan.Find(text, start, end, ref found);
        }

        pattern?.Find(text, start, end, ref found);
    }

    private static string Replace(string text, List<(int Start, int Length)> found)
    {
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var builder = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var (start, length) in found)
        {
            builder.Append(text, copied, start - copied);
            builder.Append(char.IsAsciiDigit(text[start]) ? NationalIdMark : NameMark);
            copied = start + length;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Where readable text is in XHTML: between the tags, less character references, so a name that is also a tag or an
    /// entity ("Li", "Amp") never breaks the markup.
    /// </summary>
    private static IEnumerable<(int Start, int End)> TextRuns(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var close = text[i] switch
            {
                '<' => '>',
                '&' => ';',
                _ => '\0',
            };

            if (close == '\0')
            {
                continue;
            }

            if (i > start)
            {
                yield return (start, i);
            }

            var closeAt = text.IndexOf(close, i);
            i = closeAt < 0 ? text.Length : closeAt;
            start = i + 1;
        }

        if (start < text.Length)
        {
            yield return (start, text.Length);
        }
    }
}
