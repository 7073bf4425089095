namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// The consequence classes a rule may name instead of Sequence Ontology terms. Loss of function is what
/// inactivates a tumour suppressor: a premature stop, a frameshift, the loss of a canonical splice site or of
/// the start codon, and (for copy number) a homozygous deletion or an exon-level deletion.
/// </summary>
public static class ConsequenceClasses
{
    public const string LossOfFunction = "loss-of-function";
    public const string ProteinAltering = "protein-altering";

    public static IReadOnlySet<string> LossOfFunctionTerms { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "stop_gained", "frameshift_variant", "splice_donor_variant", "splice_acceptor_variant", "start_lost", "transcript_ablation",
    };

    public static IReadOnlySet<string> ProteinAlteringTerms { get; } = new HashSet<string>(LossOfFunctionTerms, StringComparer.OrdinalIgnoreCase)
    {
        "missense_variant", "inframe_insertion", "inframe_deletion", "protein_altering_variant", "stop_lost",
    };

    public static bool IsClass(string name) =>
        string.Equals(name, LossOfFunction, StringComparison.OrdinalIgnoreCase) || string.Equals(name, ProteinAltering, StringComparison.OrdinalIgnoreCase);
}
