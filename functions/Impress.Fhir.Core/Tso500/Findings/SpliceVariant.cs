namespace Impress.Fhir.Tso500.Findings;

/// <summary>A row of [Splice Variants]: an RNA transcript that skips exons (EGFRvIII, MET exon 14 skipping).</summary>
public sealed record SpliceVariant(
    int Line,
    string Gene,
    string Exons,
    int? ExonCount,
    Breakpoint? FirstBreakpoint,
    Breakpoint? SecondBreakpoint,
    int? SupportingReads,
    int? ReferenceReads) : Tso500Finding(CvoSections.SpliceVariants, Line)
{
    /// <summary>How a tumour board names the event.</summary>
    public string Name => (Gene.ToUpperInvariant(), Exons) switch
    {
        ("EGFR", "2-7") => "EGFRvIII (EGFR exon 2-7 deletion)",
        ("MET", "14") => "MET exon 14 skipping",
        _ => Exons.Contains('-') ? $"{Gene} exons {Exons} skipping" : $"{Gene} exon {Exons} skipping",
    };
}
