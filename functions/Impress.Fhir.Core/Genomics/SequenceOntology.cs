using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Genomics;

/// <summary>
/// The Sequence Ontology terms genomic reports use: the consequence terms variant annotators write (Ensembl VEP's
/// set, which Illumina's TSO500 software uses) and the variant types of the coding change type component.
/// </summary>
public static class SequenceOntology
{
    public const string SingleNucleotideVariant = "SO:0001483";
    public const string MultipleNucleotideVariant = "SO:0002007";
    public const string Deletion = "SO:0000159";
    public const string Insertion = "SO:0000667";
    public const string Delins = "SO:1000032";
    public const string CopyNumberGain = "SO:0001742";
    public const string CopyNumberLoss = "SO:0001743";
    public const string ExonLossVariant = "SO:0001572";
    public const string TranscriptFusion = "SO:0001886";

    private static readonly Dictionary<string, string> IdsByTerm = new(StringComparer.OrdinalIgnoreCase)
    {
        ["transcript_ablation"] = "SO:0001893",
        ["splice_acceptor_variant"] = "SO:0001574",
        ["splice_donor_variant"] = "SO:0001575",
        ["stop_gained"] = "SO:0001587",
        ["frameshift_variant"] = "SO:0001589",
        ["stop_lost"] = "SO:0001578",
        ["start_lost"] = "SO:0002012",
        ["initiator_codon_variant"] = "SO:0001582",
        ["transcript_amplification"] = "SO:0001889",
        ["feature_elongation"] = "SO:0001907",
        ["feature_truncation"] = "SO:0001906",
        ["inframe_insertion"] = "SO:0001821",
        ["inframe_deletion"] = "SO:0001822",
        ["missense_variant"] = "SO:0001583",
        ["protein_altering_variant"] = "SO:0001818",
        ["splice_donor_5th_base_variant"] = "SO:0001787",
        ["splice_region_variant"] = "SO:0001630",
        ["splice_donor_region_variant"] = "SO:0002170",
        ["splice_polypyrimidine_tract_variant"] = "SO:0002169",
        ["incomplete_terminal_codon_variant"] = "SO:0001626",
        ["start_retained_variant"] = "SO:0002019",
        ["stop_retained_variant"] = "SO:0001567",
        ["synonymous_variant"] = "SO:0001819",
        ["coding_sequence_variant"] = "SO:0001580",
        ["mature_miRNA_variant"] = "SO:0001620",
        ["5_prime_UTR_variant"] = "SO:0001623",
        ["3_prime_UTR_variant"] = "SO:0001624",
        ["non_coding_transcript_exon_variant"] = "SO:0001792",
        ["intron_variant"] = "SO:0001627",
        ["NMD_transcript_variant"] = "SO:0001621",
        ["non_coding_transcript_variant"] = "SO:0001619",
        ["coding_transcript_variant"] = "SO:0001968",
        ["upstream_gene_variant"] = "SO:0001631",
        ["downstream_gene_variant"] = "SO:0001632",
        ["TFBS_ablation"] = "SO:0001895",
        ["TFBS_amplification"] = "SO:0001892",
        ["TF_binding_site_variant"] = "SO:0001782",
        ["regulatory_region_ablation"] = "SO:0001894",
        ["regulatory_region_amplification"] = "SO:0001891",
        ["regulatory_region_variant"] = "SO:0001566",
        ["intergenic_variant"] = "SO:0001628",
        ["sequence_variant"] = "SO:0001060",
        ["exon_loss_variant"] = ExonLossVariant,
        ["copy_number_gain"] = CopyNumberGain,
        ["copy_number_loss"] = CopyNumberLoss,
        ["transcript_fusion"] = TranscriptFusion,
        ["gene_fusion"] = "SO:0001565",
        ["SNV"] = SingleNucleotideVariant,
        ["MNV"] = MultipleNucleotideVariant,
        ["deletion"] = Deletion,
        ["insertion"] = Insertion,
        ["delins"] = Delins,
    };

    private static readonly Dictionary<string, string> TermsById = IdsByTerm.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The accession of a term ("missense_variant" -> "SO:0001583"); false for a term not in the table.</summary>
    public static bool TryGetId(string term, out string id) => IdsByTerm.TryGetValue(term, out id!);

    /// <summary>A coding of a known term, with the term as display; null for an unknown one.</summary>
    public static Coding? Coding(string term) =>
        IdsByTerm.TryGetValue(term, out var id) ? new Coding(Codes.SequenceOntology, id, TermsById[id]) : null;

    /// <summary>The coding of an accession defined here.</summary>
    public static Coding CodingOf(string id) => new(Codes.SequenceOntology, id, TermsById[id]);
}
