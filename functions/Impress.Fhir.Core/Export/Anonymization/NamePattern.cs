using System.Runtime.CompilerServices;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A subject's names, ready to be found in text: whole words only ("Kari" in "Kari-Anne", not in "Karina"), ignoring
/// case. Made once per subject and kept as long as the subject is; it holds nothing but the names (an export keeps
/// thousands of subjects at once), and a patient has few names, so each is looked for with the runtime's vectorised
/// case-insensitive search in turn.
/// </summary>
internal sealed class NamePattern
{
    private static readonly ConditionalWeakTable<AnonymizationSubject, NamePattern> Patterns = new();
    private static readonly NamePattern Empty = new([]);

    private readonly string[] _names;
    private readonly int _shortest;

    private NamePattern(string[] names)
    {
        _names = names;
        _shortest = names.Length == 0 ? int.MaxValue : names.Min(name => name.Length);
    }

    public bool IsEmpty => _names.Length == 0;

    /// <summary>The subject's pattern: the names of at least two letters, longest first so "Anne-Marie" is tried before "Anne".</summary>
    public static NamePattern For(AnonymizationSubject subject) => Patterns.GetValue(subject, static subject =>
    {
        var names = subject.NameParts
            .Select(part => part.Trim())
            .Where(part => part.Count(char.IsLetter) >= 2)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(part => part.Length)
            .ToArray();
        return names.Length == 0 ? Empty : new NamePattern(names);
    });

    /// <summary>Whether any name may be in the text (as a word or not): cheaper than finding one, and nearly every string fails it.</summary>
    public bool MayOccurIn(ReadOnlySpan<char> text) => text.Length >= _shortest && IndexOfAny(text) >= 0;

    /// <summary>Adds the spans of whole-word names in text[start..end] to <paramref name="found"/>, made on the first.</summary>
    public void Find(string text, int start, int end, ref List<(int Start, int Length)>? found)
    {
        var i = start;
        while (i < end)
        {
            var next = IndexOfAny(text.AsSpan(i, end - i));
            if (next < 0)
            {
                return;
            }

            var at = i + next;
            var length = WholeWordAt(text, at, start, end);
            if (length > 0)
            {
                (found ??= []).Add((at, length));
                i = at + length;
            }
            else
            {
                i = at + 1;
            }
        }
    }

    /// <summary>Where the first of the names starts in <paramref name="text"/>, as a word or not; -1 when none is there.</summary>
    private int IndexOfAny(ReadOnlySpan<char> text)
    {
        var first = -1;
        foreach (var name in _names)
        {
            // Once one name is found, another counts only if it starts before it: look no further than that.
            var window = first < 0 ? text : text[..Math.Min(text.Length, first - 1 + name.Length)];
            var at = window.IndexOf(name, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    private int WholeWordAt(string text, int at, int start, int end)
    {
        if (at > start && char.IsLetterOrDigit(text[at - 1]))
        {
            return 0;
        }

        foreach (var name in _names)
        {
            var after = at + name.Length;
            if (after <= end && text.AsSpan(at, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase) && (after == end || !char.IsLetterOrDigit(text[after])))
            {
                return name.Length;
            }
        }

        return 0;
    }
}
