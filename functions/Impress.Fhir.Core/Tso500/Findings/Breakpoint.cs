using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Findings;

/// <summary>A genomic position written chromosome:position ("chr2:42522654"), 1-based.</summary>
public sealed record Breakpoint(Chromosome Chromosome, long Position)
{
    public static bool TryParse(string text, out Breakpoint? breakpoint)
    {
        breakpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !Chromosome.TryParse(text[..colon], out var chromosome)
            || !long.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            || position < 1)
        {
            return false;
        }

        breakpoint = new Breakpoint(chromosome, position);
        return true;
    }

    public override string ToString() => $"{Chromosome}:{Position}";
}
