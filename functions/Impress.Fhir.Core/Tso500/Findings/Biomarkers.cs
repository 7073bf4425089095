namespace Impress.Fhir.Tso500.Findings;

/// <summary>[TMB]: somatic mutations per megabase of the coding region the panel covers.</summary>
public sealed record TumorMutationalBurden(int Line, decimal MutationsPerMegabase, decimal? CodingRegionMegabases, int? EligibleVariants)
    : Tso500Finding(CvoSections.Tmb, Line);

/// <summary>[MSI]: the share of usable microsatellite sites found unstable.</summary>
public sealed record MicrosatelliteInstability(int Line, decimal PercentUnstable, int? UsableSites, int? UnstableSites)
    : Tso500Finding(CvoSections.Msi, Line);

/// <summary>[GIS] (DRAGEN v2): the genomic instability score, the measure of homologous recombination deficiency.</summary>
public sealed record GenomicInstability(int Line, decimal Score) : Tso500Finding(CvoSections.Gis, Line);
