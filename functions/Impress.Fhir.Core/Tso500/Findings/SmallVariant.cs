using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Findings;

/// <summary>
/// A row of [Small Variants]: an SNV, MNV or indel in VCF form (1-based position, alleles with the padding base),
/// with the annotation of its transcript. The gene is missing for a variant outside any gene.
/// </summary>
public sealed record SmallVariant(
    int Line,
    string? Gene,
    Chromosome Chromosome,
    long Position,
    string ReferenceAllele,
    string AlternativeAllele,
    decimal? AlleleFrequency,
    int? Depth,
    string? ProteinHgvs,
    string? CodingHgvs,
    string? Transcript,
    IReadOnlyList<string> Consequences,
    string? Exons) : Tso500Finding(CvoSections.SmallVariants, Line)
{
    /// <summary>The last reference base the variant covers.</summary>
    public long End => Position + ReferenceAllele.Length - 1;

    /// <summary>The variant's kind as the Sequence Ontology names it (VCF alleles share their first base for indels).</summary>
    public string ChangeType => (ReferenceAllele.Length, AlternativeAllele.Length) switch
    {
        (1, 1) => SequenceOntology.SingleNucleotideVariant,
        var (r, a) when r == a => SequenceOntology.MultipleNucleotideVariant,
        var (r, a) when r > a && ReferenceAllele.StartsWith(AlternativeAllele, StringComparison.Ordinal) => SequenceOntology.Deletion,
        var (r, a) when a > r && AlternativeAllele.StartsWith(ReferenceAllele, StringComparison.Ordinal) => SequenceOntology.Insertion,
        _ => SequenceOntology.Delins,
    };
}
