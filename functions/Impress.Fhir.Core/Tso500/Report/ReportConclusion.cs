using Impress.Fhir.Tso500.Findings;
using static Impress.Fhir.Tso500.Report.ObservationParts;

namespace Impress.Fhir.Tso500.Report;

/// <summary>The report's conclusion: what was found, in the words of the lab's summary. It states results, not their clinical meaning.</summary>
internal static class ReportConclusion
{
    private const int NamedPerKind = 8;

    public static string Of(Tso500Results results, Tso500ImportOptions options)
    {
        var findings = results.Findings;
        var parts = new List<string>();
        if (findings.OfType<TumorMutationalBurden>().FirstOrDefault() is { } tmb)
        {
            parts.Add($"TMB {Format(tmb.MutationsPerMegabase)} mutations/Mb ({(tmb.MutationsPerMegabase >= options.TmbHighThreshold ? "high" : "low")})");
        }

        if (findings.OfType<MicrosatelliteInstability>().FirstOrDefault() is { } msi)
        {
            parts.Add(msi.PercentUnstable >= options.MsiHighThreshold ? $"MSI-high ({Format(msi.PercentUnstable)} % unstable sites)" : $"microsatellite stable ({Format(msi.PercentUnstable)} % unstable sites)");
        }

        if (findings.OfType<GenomicInstability>().FirstOrDefault() is { } gis)
        {
            parts.Add($"genomic instability score {Format(gis.Score)} ({(gis.Score >= options.GisPositiveThreshold ? "positive" : "negative")})");
        }

        Add(parts, "fusion", findings.OfType<Fusion>().Select(f => f.GenePair));
        Add(parts, "splice variant", findings.OfType<SpliceVariant>().Select(s => s.Name));
        Add(parts, "copy number change", findings.OfType<CopyNumberChange>().Select(c => $"{c.Gene} {(c.Direction == CopyNumberDirection.Gain ? "gain" : "loss")}"));
        Add(parts, "large rearrangement", findings.OfType<LargeRearrangement>().Select(r => $"{r.Gene} {(r.Direction == CopyNumberDirection.Gain ? "duplication" : "deletion")}"));
        var small = findings.OfType<SmallVariant>().ToList();
        if (small.Count > 0)
        {
            parts.Add($"{small.Count} small variant{(small.Count == 1 ? "" : "s")} in {small.Select(v => v.Gene).OfType<string>().Distinct().Count()} genes");
        }

        var assay = string.Join(" and ", results.Files.SelectMany(f => f.Assays).Distinct().Order().Select(a => a == NucleicAcid.Dna ? "DNA" : "RNA"));
        return parts.Count == 0
            ? $"TruSight Oncology 500 ({assay}): no variants or biomarkers reported."
            : $"TruSight Oncology 500 ({assay}): {string.Join("; ", parts)}.";
    }

    private static void Add(List<string> parts, string kind, IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count > 0)
        {
            var shown = string.Join(", ", list.Take(NamedPerKind)) + (list.Count > NamedPerKind ? $" and {list.Count - NamedPerKind} more" : "");
            parts.Add($"{list.Count} {kind}{(list.Count == 1 ? "" : "s")} ({shown})");
        }
    }
}
