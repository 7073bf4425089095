using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Patients;

/// <summary>
/// What matching needs to know of a patient, read once from their report: the tumour type, age, ECOG, the
/// biomarkers, the variants, and which assays were run (a fusion cannot be ruled out if RNA was not sequenced).
/// Every finding keeps the reference of the resource it came from, so an explanation can name its evidence.
/// </summary>
public sealed record PatientProfile
{
    /// <summary>The patient, as a reference ("Patient/123" or a bundle's urn:uuid).</summary>
    public required string Patient { get; init; }

    /// <summary>The genomic report the variants come from.</summary>
    public string? Report { get; init; }

    public Finding<string>? Diagnosis { get; init; }

    public Finding<string>? Morphology { get; init; }

    public Finding<int>? AgeYears { get; init; }

    public Finding<int>? Ecog { get; init; }

    public Finding<decimal>? Tmb { get; init; }

    public Finding<MsiResult>? Msi { get; init; }

    public Finding<decimal>? Gis { get; init; }

    /// <summary>DNA was sequenced: small variants, copy number, TMB and MSI can be judged.</summary>
    public bool DnaSequenced { get; init; } = true;

    /// <summary>RNA was sequenced: fusions and splice variants can be judged.</summary>
    public bool RnaSequenced { get; init; } = true;

    public IReadOnlyList<VariantFeature> Variants { get; init; } = [];
}

/// <summary>A value and the resource it was read from.</summary>
public readonly record struct Finding<T>(T Value, string Evidence, string Display);

/// <summary>The lab's MSI call and the share of unstable sites, when given.</summary>
public readonly record struct MsiResult(bool IsHigh, decimal? PercentUnstable);

/// <summary>
/// One variant Observation, reduced to what rules ask about. Genes are upper-case symbols; for a fusion every
/// partner candidate. <see cref="Display"/> is how an explanation names it ("BRAF p.(Val600Glu)").
/// </summary>
public sealed record VariantFeature(
    string Evidence,
    string Display,
    IReadOnlyList<string> Genes,
    VariantKind Kind,
    ProteinChange? Protein = null,
    IReadOnlyList<string>? Consequences = null,
    string? Exons = null,
    decimal? FoldChange = null,
    decimal? CopyNumber = null,
    GenomicOrigin? Origin = null,
    decimal? AlleleFrequency = null)
{
    public IReadOnlyList<string> ConsequenceTerms => Consequences ?? [];

    /// <summary>
    /// Inactivates its gene: a truncating or splice-site small variant, a homozygous deletion, or an exon-level deletion.
    /// </summary>
    public bool IsLossOfFunction => Kind switch
    {
        VariantKind.CopyNumberLoss => CopyNumber is 0m,
        VariantKind.LargeRearrangement => FoldChange < 1m || ConsequenceTerms.Contains("copy_number_loss", StringComparer.OrdinalIgnoreCase),
        _ => ConsequenceTerms.Any(ConsequenceClasses.LossOfFunctionTerms.Contains),
    };

    /// <summary>A deletion of both copies (copy number 0).</summary>
    public bool IsHomozygousDeletion => Kind == VariantKind.CopyNumberLoss && CopyNumber is 0m;

    /// <summary>A loss of copies short of a homozygous deletion: one copy of the gene is gone.</summary>
    public bool IsSingleCopyLoss => Kind == VariantKind.CopyNumberLoss && CopyNumber is not 0m;
}
