using Impress.Fhir.Tso500.Findings;

namespace Impress.Fhir.Tso500;

/// <summary>One file of an import and the role it was given in: the DNA file or the RNA file of the pair.</summary>
public sealed record Tso500File(NucleicAcid Role, CombinedVariantOutput Output)
{
    /// <summary>What the file holds results of: the sample ids it names, or else its role.</summary>
    public IEnumerable<NucleicAcid> Assays
    {
        get
        {
            var named = new List<NucleicAcid>();
            if (Output.Run.DnaSampleId is not null)
            {
                named.Add(NucleicAcid.Dna);
            }

            if (Output.Run.RnaSampleId is not null)
            {
                named.Add(NucleicAcid.Rna);
            }

            return named.Count > 0 ? named : [Role];
        }
    }
}

/// <summary>The results of one sample pair, from its DNA file, its RNA file, or one file with both, checked to belong together.</summary>
public sealed record Tso500Results(IReadOnlyList<Tso500File> Files, IReadOnlyList<Tso500Finding> Findings)
{
    public IEnumerable<string> Warnings => Files.SelectMany(f => f.Output.Warnings);

    /// <summary>The sample pair: the first Pair ID (or sample id) the files give.</summary>
    public string? PairId => Files.Select(f => f.Output.Run.PairId ?? f.Output.Run.DnaSampleId ?? f.Output.Run.RnaSampleId).FirstOrDefault(id => id is not null);

    /// <summary>When the report was complete: the latest output time of its files.</summary>
    public DateTimeOffset? OutputTime => Files.Select(f => f.Output.Run.OutputTime).Max();
}
