using Impress.Fhir.Matching.Patients;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// A patient's profile indexed for one compiled catalog: a bit per catalog gene the patient has a variant in, and
/// the variants of each such gene. Rules only ask about their own genes, so every other variant is left out, and
/// most arms are decided by a bit test.
/// </summary>
public sealed class PreparedPatient
{
    private static readonly int[] None = [];
    private readonly ulong[] _genes;

    // The patient's (gene, variant) pairs sorted by gene: the variants of a gene are a run found by binary search.
    private readonly int[] _pairGenes;
    private readonly int[] _pairVariants;

    internal PreparedPatient(PatientProfile profile, GeneIndex index)
    {
        Profile = profile;
        _genes = new ulong[(index.Count + 63) / 64];
        VariantGenes = new int[profile.Variants.Count][];
        var pairs = new List<(int Gene, int Variant)>();
        for (var v = 0; v < profile.Variants.Count; v++)
        {
            var genes = profile.Variants[v].Genes;
            int[]? ids = null;
            var found = 0;
            foreach (var gene in genes)
            {
                if (index.TryGet(gene, out var id))
                {
                    ids ??= new int[genes.Count];
                    ids[found++] = id;
                    _genes[id >> 6] |= 1UL << (id & 63);
                    pairs.Add((id, v));
                }
            }

            VariantGenes[v] = ids is null ? None : found == ids.Length ? ids : ids[..found];
        }

        pairs.Sort();
        _pairGenes = pairs.Select(p => p.Gene).ToArray();
        _pairVariants = pairs.Select(p => p.Variant).ToArray();
    }

    public PatientProfile Profile { get; }

    /// <summary>The catalog gene ids of each variant.</summary>
    internal int[][] VariantGenes { get; }

    internal bool HasGene(int id) => (_genes[id >> 6] & (1UL << (id & 63))) != 0;

    /// <summary>The indices of the variants in gene <paramref name="gene"/>.</summary>
    internal ReadOnlySpan<int> VariantsOf(int gene)
    {
        var first = Array.BinarySearch(_pairGenes, gene);
        if (first < 0)
        {
            return [];
        }

        while (first > 0 && _pairGenes[first - 1] == gene)
        {
            first--;
        }

        var last = first;
        while (last < _pairGenes.Length && _pairGenes[last] == gene)
        {
            last++;
        }

        return _pairVariants.AsSpan(first, last - first);
    }
}

/// <summary>The genes a catalog's rules name, numbered.</summary>
internal sealed class GeneIndex
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _ids.Count;

    public int Add(string gene) => _ids.TryGetValue(gene, out var id) ? id : _ids[gene] = _ids.Count;

    public bool TryGet(string gene, out int id) => _ids.TryGetValue(gene, out id);
}
