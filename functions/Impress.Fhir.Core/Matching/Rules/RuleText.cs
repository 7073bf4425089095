using System.Globalization;

namespace Impress.Fhir.Matching.Rules;

/// <summary>Words a criterion as a tumour board reads it, unless the trial office gave it a label.</summary>
public static class RuleText
{
    public static string Describe(Criterion criterion) => criterion.Label ?? criterion switch
    {
        AllOf => "all of",
        AnyOf => "any of",
        Not not => "not: " + Describe(not.Part),
        VariantCriterion variant => Variant(variant),
        BiallelicLossCriterion biallelic => $"bi-allelic loss of {Or(biallelic.Genes)} (a homozygous deletion, two loss-of-function variants, or one and a loss of the other copy)",
        TmbCriterion tmb => $"TMB ≥ {Number(tmb.Min)} mutations/Mb",
        MsiCriterion { MinPercentUnstable: { } percent } => $"≥ {Number(percent)} % unstable microsatellite sites",
        MsiCriterion => "microsatellite instability high (MSI-H)",
        GisCriterion gis => $"genomic instability score ≥ {Number(gis.Min)}",
        TumorTypeCriterion tumor => "tumour type " + string.Join(" or ", new[]
        {
            tumor.Icd10.Count > 0 ? "ICD-10 " + Or(tumor.Icd10) : null,
            tumor.Morphology.Count > 0 ? "morphology " + Or(tumor.Morphology) : null,
        }.OfType<string>()),
        AgeCriterion { Min: { } min, Max: { } max } => $"age {min}-{max}",
        AgeCriterion { Min: { } min } => $"age ≥ {min}",
        AgeCriterion age => $"age ≤ {age.Max}",
        EcogCriterion ecog => $"ECOG performance status ≤ {ecog.Max}",
        _ => criterion.GetType().Name,
    };

    private static string Variant(VariantCriterion variant)
    {
        var genes = Or(variant.Genes);
        var kinds = variant.Categories.ToHashSet();
        string text;
        if (variant.Partners.Count > 0)
        {
            text = $"{string.Join("-", variant.Partners)} fusion (either partner order)";
        }
        else if (kinds.SetEquals([VariantKind.Fusion]))
        {
            text = $"fusion involving {genes} (either partner)";
        }
        else if (kinds.SetEquals([VariantKind.CopyNumberGain]))
        {
            text = $"{genes} amplification";
        }
        else if (kinds.SetEquals([VariantKind.CopyNumberLoss]))
        {
            text = variant.MaxCopyNumber == 0 ? $"homozygous deletion of {genes}" : $"{genes} copy number loss";
        }
        else if (kinds.SetEquals([VariantKind.SpliceVariant]))
        {
            text = $"{genes} splice variant";
        }
        else if (kinds.SetEquals([VariantKind.LargeRearrangement]))
        {
            text = $"{genes} large rearrangement";
        }
        else
        {
            text = variant.Proteins.Count > 0 ? genes : $"{genes} variant";
        }

        if (variant.Proteins.Count > 0)
        {
            text += " " + string.Join(" or ", variant.Proteins.Select(p => p.IsWildcard ? $"{p.Change} (any amino acid change)" : p.Change.ToString()));
        }

        if (variant.Consequences.Count > 0)
        {
            text = $"{Or(variant.Consequences.Select(c => c.Replace('_', ' ')))} {text}";
        }

        if (variant.Exons.Count > 0)
        {
            text += (kinds.SetEquals([VariantKind.SpliceVariant]) ? " skipping exon " : " in exon ") + Or(variant.Exons);
        }

        if (variant.MinFoldChange is { } minFold)
        {
            text += $", fold change ≥ {Number(minFold)}";
        }

        if (variant.MaxFoldChange is { } maxFold)
        {
            text += $", fold change ≤ {Number(maxFold)}";
        }

        if (variant.MinCopyNumber is { } minCopies)
        {
            text += $", ≥ {Number(minCopies)} copies";
        }

        if (variant.MaxCopyNumber is { } maxCopies && !(kinds.SetEquals([VariantKind.CopyNumberLoss]) && maxCopies == 0))
        {
            text += $", ≤ {Number(maxCopies)} copies";
        }

        if (variant.Origin is { } origin)
        {
            text += origin == GenomicOrigin.Somatic ? " (somatic)" : " (germline)";
        }

        if (variant.MinAlleleFrequency is { } af)
        {
            text += $", allele frequency ≥ {Number(af * 100)} %";
        }

        return text;
    }

    /// <summary>"A", "A or B", "A, B or C".</summary>
    public static string Or(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
