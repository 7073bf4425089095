namespace Impress.Fhir.Tso500;

/// <summary>The sections of a CombinedVariantOutput.tsv (TSO500 LocalApp and the DRAGEN TSO500 v2 pipeline).</summary>
public static class CvoSections
{
    public const string AnalysisDetails = "Analysis Details";
    public const string SequencingRunDetails = "Sequencing Run Details";
    public const string Tmb = "TMB";
    public const string Msi = "MSI";
    public const string Gis = "GIS";

    /// <summary>LocalApp: amplified genes with their fold change.</summary>
    public const string GeneAmplifications = "Gene Amplifications";

    /// <summary>DRAGEN v2: gains and losses, with the absolute copy number.</summary>
    public const string CopyNumberVariants = "Copy Number Variants";

    public const string SpliceVariants = "Splice Variants";
    public const string Fusions = "Fusions";

    /// <summary>DRAGEN ctDNA: fusions called from DNA.</summary>
    public const string DnaFusions = "DNA Fusions";

    public const string SmallVariants = "Small Variants";

    /// <summary>DRAGEN v2: exon-level deletions and duplications (BRCA1, BRCA2).</summary>
    public const string LargeRearrangements = "Large Rearrangements";

    private static readonly HashSet<string> RnaSections = new(StringComparer.OrdinalIgnoreCase) { Fusions, SpliceVariants };

    private static readonly HashSet<string> SharedSections = new(StringComparer.OrdinalIgnoreCase) { AnalysisDetails, SequencingRunDetails };

    /// <summary>The nucleic acid a section's results are called from; null for the details both files carry.</summary>
    public static NucleicAcid? AssayOf(string section) =>
        SharedSections.Contains(section) ? null : RnaSections.Contains(section) ? NucleicAcid.Rna : NucleicAcid.Dna;
}

/// <summary>What a TSO500 library is made from.</summary>
public enum NucleicAcid
{
    Dna,
    Rna,
}
