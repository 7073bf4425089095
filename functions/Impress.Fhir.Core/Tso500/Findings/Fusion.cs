namespace Impress.Fhir.Tso500.Findings;

/// <summary>
/// A row of [Fusions]: gene 1 (5') joined to gene 2 (3'). Where a breakpoint lies in overlapping genes the file lists
/// them all (<c>SLC34A2-ROS1;GOPC</c>: gene 2 is ROS1 or GOPC), so each partner is a list of candidates.
/// </summary>
public sealed record Fusion(
    string Section,
    int Line,
    string GenePair,
    IReadOnlyList<string> FivePrimeGenes,
    IReadOnlyList<string> ThreePrimeGenes,
    Breakpoint? FirstBreakpoint,
    Breakpoint? SecondBreakpoint,
    int? SupportingReads,
    int? FirstGeneReferenceReads,
    int? SecondGeneReferenceReads) : Tso500Finding(Section, Line)
{
    public IEnumerable<string> Genes => FivePrimeGenes.Concat(ThreePrimeGenes);
}
