using Impress.Fhir.Tso500.Findings;

namespace Impress.Fhir.Tso500;

/// <summary>The results of one CombinedVariantOutput.tsv, typed and checked, with an account of every section.</summary>
public sealed class CombinedVariantOutput
{
    public required string Source { get; init; }

    public required RunDetails Run { get; init; }

    public TumorMutationalBurden? Tmb { get; init; }

    public MicrosatelliteInstability? Msi { get; init; }

    public GenomicInstability? Gis { get; init; }

    public IReadOnlyList<CopyNumberChange> CopyNumberChanges { get; init; } = [];

    public IReadOnlyList<SpliceVariant> SpliceVariants { get; init; } = [];

    public IReadOnlyList<Fusion> Fusions { get; init; } = [];

    public IReadOnlyList<SmallVariant> SmallVariants { get; init; } = [];

    public IReadOnlyList<LargeRearrangement> LargeRearrangements { get; init; } = [];

    public IReadOnlyList<SectionAccount> Accounts { get; init; } = [];

    /// <summary>Things the lab engineer should know that do not stop the import (a placeholder date, an unknown section).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every result of the file, in the order of the file's sections.</summary>
    public IEnumerable<Tso500Finding> Findings =>
        new Tso500Finding?[] { Tmb, Msi, Gis }.OfType<Tso500Finding>()
            .Concat(CopyNumberChanges).Concat(SpliceVariants).Concat(Fusions).Concat(SmallVariants).Concat(LargeRearrangements)
            .OrderBy(f => f.Line);
}
