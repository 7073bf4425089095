namespace Impress.Fhir.Tso500;

/// <summary>How TSO500 results become a report (configuration section "Tso500"). The thresholds are the trial's, not Illumina's.</summary>
public sealed class Tso500ImportOptions
{
    public const string Section = "Tso500";

    /// <summary>Mutations per megabase from which a tumour is called TMB-high.</summary>
    public decimal TmbHighThreshold { get; set; } = 10m;

    /// <summary>Percent unstable microsatellite sites from which a tumour is called MSI-high.</summary>
    public decimal MsiHighThreshold { get; set; } = 20m;

    /// <summary>Genomic instability score from which a tumour is called HRD-positive (Illumina and Myriad use 42).</summary>
    public decimal GisPositiveThreshold { get; set; } = 42m;

    /// <summary>The reference genome the pipeline aligned to: GRCh37 for TSO500 LocalApp and DRAGEN TSO500 v2.</summary>
    public string GenomeBuild { get; set; } = "GRCh37";

    /// <summary>The time zone of the lab's clock, for the file's Output Date and Time (IANA or Windows id).</summary>
    public string LabTimeZone { get; set; } = "Europe/Oslo";

    /// <summary>The largest file taken, in bytes.</summary>
    public int MaxFileBytes { get; set; } = CvoDocumentReader.DefaultMaxBytes;

    /// <summary>The most results one report may hold; each becomes an Observation (small variants also a MolecularSequence).</summary>
    public int MaxFindings { get; set; } = 4_000;
}
