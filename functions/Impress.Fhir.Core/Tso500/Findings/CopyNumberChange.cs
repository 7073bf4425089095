using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Findings;

/// <summary>Whether copies were gained or lost.</summary>
public enum CopyNumberDirection
{
    Gain,
    Loss,
}

/// <summary>
/// A gene-level copy number change: a row of [Gene Amplifications] (LocalApp: a gain with its fold change) or of
/// [Copy Number Variants] (DRAGEN v2: a gain or loss, with the absolute copy number).
/// </summary>
public sealed record CopyNumberChange(
    string Section,
    int Line,
    string Gene,
    CopyNumberDirection Direction,
    decimal? FoldChange,
    decimal? AbsoluteCopyNumber,
    Chromosome? Chromosome = null) : Tso500Finding(Section, Line);
