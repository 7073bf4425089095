namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// One node of an arm's rule (rule language v1): a combination (all, any, not) or a test of the patient's data. A
/// criterion is data; <see cref="Evaluation.Matcher"/> compiles it into what evaluates it.
/// </summary>
public abstract record Criterion
{
    /// <summary>The trial office's own words for the criterion; when absent, <see cref="RuleText"/> words it.</summary>
    public string? Label { get; init; }
}

/// <summary>Every part must hold.</summary>
public sealed record AllOf(IReadOnlyList<Criterion> Parts) : Criterion;

/// <summary>At least one part must hold.</summary>
public sealed record AnyOf(IReadOnlyList<Criterion> Parts) : Criterion;

/// <summary>The part must not hold (an unknown part stays unknown).</summary>
public sealed record Not(Criterion Part) : Criterion;

/// <summary>
/// A variant in the report that has every property given: one of the genes (for a fusion, any partner), one of the
/// categories, a protein change (exact, or a wildcard for any change at a residue), a consequence (a Sequence
/// Ontology term or a class such as loss-of-function), an exon, a fold change or copy number range, fusion
/// partners (all of them, in either order), the genomic origin and a minimal allele frequency.
/// </summary>
public sealed record VariantCriterion : Criterion
{
    public IReadOnlyList<string> Genes { get; init; } = [];

    public IReadOnlyList<VariantKind> Categories { get; init; } = [];

    public IReadOnlyList<ProteinPattern> Proteins { get; init; } = [];

    public IReadOnlyList<string> Consequences { get; init; } = [];

    public IReadOnlyList<string> Exons { get; init; } = [];

    public IReadOnlyList<string> Partners { get; init; } = [];

    public decimal? MinFoldChange { get; init; }

    public decimal? MaxFoldChange { get; init; }

    public decimal? MinCopyNumber { get; init; }

    public decimal? MaxCopyNumber { get; init; }

    public GenomicOrigin? Origin { get; init; }

    public decimal? MinAlleleFrequency { get; init; }
}

/// <summary>
/// Both copies of a gene lost: a homozygous deletion, two loss-of-function hits in the gene, or one hit and a loss
/// of the other copy (a copy number loss or an exon-level deletion).
/// </summary>
public sealed record BiallelicLossCriterion(IReadOnlyList<string> Genes) : Criterion;

/// <summary>Tumour mutational burden of at least <see cref="Min"/> mutations per megabase.</summary>
public sealed record TmbCriterion(decimal Min) : Criterion;

/// <summary>Microsatellite instability: the lab's MSI-high call, or a share of unstable sites of at least a minimum.</summary>
public sealed record MsiCriterion(decimal? MinPercentUnstable) : Criterion;

/// <summary>A genomic instability score of at least <see cref="Min"/>.</summary>
public sealed record GisCriterion(decimal Min) : Criterion;

/// <summary>The tumour type: an ICD-10 code starting with one of the prefixes, or an ICD-O-3 morphology starting with one.</summary>
public sealed record TumorTypeCriterion(IReadOnlyList<string> Icd10, IReadOnlyList<string> Morphology) : Criterion;

/// <summary>The patient's age in whole years on the day of matching.</summary>
public sealed record AgeCriterion(int? Min, int? Max) : Criterion;

/// <summary>The latest ECOG performance status recorded.</summary>
public sealed record EcogCriterion(int Max) : Criterion;

/// <summary>What kind of variant a report describes (CodeSystem impress-variant-category).</summary>
public enum VariantKind
{
    Snv,
    Mnv,
    Indel,
    CopyNumberGain,
    CopyNumberLoss,
    Fusion,
    SpliceVariant,
    LargeRearrangement,
}

/// <summary>Where a variant comes from (LOINC 48002-0).</summary>
public enum GenomicOrigin
{
    Somatic,
    Germline,
}
