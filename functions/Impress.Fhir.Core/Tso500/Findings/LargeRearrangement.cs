using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Findings;

/// <summary>A row of [Large Rearrangements] (DRAGEN v2): an exon-level deletion or duplication, e.g. in BRCA1.</summary>
public sealed record LargeRearrangement(
    int Line,
    string Gene,
    CopyNumberDirection Direction,
    decimal? FoldChange,
    Chromosome? Chromosome,
    long? Start,
    long? End,
    string? Exons) : Tso500Finding(CvoSections.LargeRearrangements, Line);
