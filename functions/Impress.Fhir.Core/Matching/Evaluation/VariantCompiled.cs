using System.Globalization;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// A variant criterion: met by the first variant of one of its genes that has every property asked. Not finding
/// one is not-met only if the assay that would have found it was run: without RNA a fusion cannot be ruled out.
/// </summary>
internal sealed class VariantCompiled : CompiledCriterion
{
    private static readonly HashSet<VariantKind> RnaKinds = [VariantKind.Fusion, VariantKind.SpliceVariant];

    private readonly VariantCriterion _criterion;
    private readonly int[] _genes;
    private readonly int[] _partners;
    private readonly HashSet<VariantKind>? _kinds;
    private readonly bool _needsRna;
    private readonly bool _needsDna;

    public VariantCompiled(VariantCriterion criterion, GeneIndex index)
        : base(criterion)
    {
        _criterion = criterion;
        _partners = criterion.Partners.Select(index.Add).ToArray();
        // A fusion criterion by partners alone is looked up under its first partner.
        _genes = (criterion.Genes.Count > 0 ? criterion.Genes : criterion.Partners.Take(1)).Select(index.Add).ToArray();
        _kinds = criterion.Categories.Count > 0 ? [.. criterion.Categories] : null;
        var kinds = _kinds ?? (criterion.Partners.Count > 0 ? [VariantKind.Fusion] : [VariantKind.Snv]);
        _needsRna = kinds.Any(RnaKinds.Contains);
        _needsDna = kinds.Any(k => !RnaKinds.Contains(k));
    }

    public override Outcome Evaluate(PreparedPatient patient)
    {
        foreach (var gene in _genes)
        {
            if (!patient.HasGene(gene))
            {
                continue;
            }

            foreach (var v in patient.VariantsOf(gene))
            {
                if (Matches(patient, v, out _))
                {
                    return Outcome.Met;
                }
            }
        }

        return Untested(patient.Profile) ? Outcome.Unknown : Outcome.NotMet;
    }

    public override Explanation Explain(PreparedPatient patient)
    {
        var met = new List<Evidence>();
        var misses = new List<Evidence>();
        var seen = new HashSet<int>();
        foreach (var gene in _genes)
        {
            foreach (var v in patient.HasGene(gene) ? patient.VariantsOf(gene) : [])
            {
                if (!seen.Add(v))
                {
                    continue;
                }

                var variant = patient.Profile.Variants[v];
                if (Matches(patient, v, out var why))
                {
                    met.Add(new Evidence(variant.Evidence, variant.Display));
                }
                else if (_kinds is null || _kinds.Contains(variant.Kind))
                {
                    // A near miss: the right kind of variant in the gene, lacking what the rule asks (another residue, a
                    // fold change below the threshold). Variants of another kind are not evidence either way.
                    misses.Add(new Evidence(variant.Evidence, $"{variant.Display}: {why}"));
                }
            }
        }

        if (met.Count > 0)
        {
            return Explanation.Leaf(Description, Outcome.Met, met);
        }

        var genes = RuleText.Or(_criterion.Genes.Count > 0 ? _criterion.Genes : _criterion.Partners);
        if (Untested(patient.Profile))
        {
            var assay = _needsRna && !patient.Profile.RnaSequenced ? "RNA" : "DNA";
            return Explanation.Leaf(Description, Outcome.Unknown, misses, $"{assay} was not sequenced: this cannot be ruled out.");
        }

        return Explanation.Leaf(Description, Outcome.NotMet, misses, misses.Count == 0 ? $"No {genes} variant is reported." : null);
    }

    private bool Untested(PatientProfile profile) => (_needsRna && !profile.RnaSequenced) || (_needsDna && !profile.DnaSequenced);

    /// <summary>Whether variant <paramref name="v"/> has every property asked; if not, the first it lacks.</summary>
    private bool Matches(PreparedPatient patient, int v, out string? why)
    {
        var variant = patient.Profile.Variants[v];
        var c = _criterion;
        why = null;
        if (_kinds is not null && !_kinds.Contains(variant.Kind))
        {
            why = $"a {Words(variant.Kind)}, not a {(_kinds.SetEquals([VariantKind.Snv, VariantKind.Mnv, VariantKind.Indel]) ? "small variant" : RuleText.Or(c.Categories.Select(Words)))}";
            return false;
        }

        if (_partners.Length > 0)
        {
            var genes = patient.VariantGenes[v];
            if (variant.Kind != VariantKind.Fusion || !_partners.All(p => genes.Contains(p)))
            {
                why = $"not a fusion of {string.Join(" and ", c.Partners)}";
                return false;
            }
        }

        if (c.Proteins.Count > 0 && (variant.Protein is not { } protein || !AnyProtein(c.Proteins, protein)))
        {
            why = variant.Protein is null ? "no protein change reported" : $"{variant.Protein} is not {RuleText.Or(c.Proteins.Select(p => p.Change.ToString()))}";
            return false;
        }

        if (c.Consequences.Count > 0 && !AnyConsequence(c.Consequences, variant))
        {
            why = variant.ConsequenceTerms.Count > 0 ? $"{string.Join(", ", variant.ConsequenceTerms).Replace('_', ' ')}, not {RuleText.Or(c.Consequences).Replace('_', ' ')}" : $"not {RuleText.Or(c.Consequences).Replace('_', ' ')}";
            return false;
        }

        if (c.Exons.Count > 0 && !c.Exons.Any(e => InExons(e, variant.Exons)))
        {
            why = variant.Exons is null ? "no exon reported" : $"exon {variant.Exons}, not {RuleText.Or(c.Exons)}";
            return false;
        }

        if ((c.MinFoldChange is { } minFold && !(variant.FoldChange >= minFold)) || (c.MaxFoldChange is { } maxFold && !(variant.FoldChange <= maxFold)))
        {
            why = variant.FoldChange is { } fold ? $"fold change {RuleText.Number(fold)}" : "no fold change reported";
            return false;
        }

        if ((c.MinCopyNumber is { } minCopies && !(variant.CopyNumber >= minCopies)) || (c.MaxCopyNumber is { } maxCopies && !(variant.CopyNumber <= maxCopies)))
        {
            why = variant.CopyNumber is { } copies ? $"{RuleText.Number(copies)} copies" : "no copy number reported";
            return false;
        }

        // An origin the report does not give is not held against the variant: tumour-only panels rarely give one.
        if (c.Origin is { } origin && variant.Origin is { } observed && observed != origin)
        {
            why = observed == GenomicOrigin.Germline ? "germline" : "somatic";
            return false;
        }

        if (c.MinAlleleFrequency is { } minAf && variant.AlleleFrequency is { } af && af < minAf)
        {
            why = $"allele frequency {RuleText.Number(af * 100)} %";
            return false;
        }

        return true;
    }

    private static bool AnyProtein(IReadOnlyList<ProteinPattern> patterns, ProteinChange protein)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Matches(protein))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyConsequence(IReadOnlyList<string> terms, VariantFeature variant)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            if (HasConsequence(variant, terms[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasConsequence(VariantFeature variant, string term) => term switch
    {
        ConsequenceClasses.LossOfFunction => variant.IsLossOfFunction,
        ConsequenceClasses.ProteinAltering => variant.IsLossOfFunction || variant.ConsequenceTerms.Any(ConsequenceClasses.ProteinAlteringTerms.Contains),
        _ => variant.ConsequenceTerms.Contains(term, StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>Whether exon <paramref name="wanted"/> ("14" or "2-7") is, or lies within, the variant's exon(s).</summary>
    private static bool InExons(string wanted, string? observed)
    {
        if (observed is null)
        {
            return false;
        }

        if (string.Equals(wanted, observed, StringComparison.Ordinal))
        {
            return true;
        }

        return Bounds(wanted) is var (from, to) && Bounds(observed) is var (start, end) && from >= start && to <= end && !wanted.Contains('-');
    }

    private static (int, int)? Bounds(string exons)
    {
        var parts = exons.Split('-');
        return parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[^1], CultureInfo.InvariantCulture))
            : null;
    }

    private static string Words(VariantKind kind) => kind switch
    {
        VariantKind.Snv => "single nucleotide variant",
        VariantKind.Mnv => "multiple nucleotide variant",
        VariantKind.Indel => "insertion/deletion",
        VariantKind.CopyNumberGain => "copy number gain",
        VariantKind.CopyNumberLoss => "copy number loss",
        VariantKind.Fusion => "fusion",
        VariantKind.SpliceVariant => "splice variant",
        _ => "large rearrangement",
    };
}
