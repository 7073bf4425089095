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
    private readonly int[][] _variantsByGene;

    internal PreparedPatient(PatientProfile profile, GeneIndex index)
    {
        Profile = profile;
        _genes = new ulong[(index.Count + 63) / 64];
        var lists = new List<int>?[index.Count];
        VariantGenes = new int[profile.Variants.Count][];
        for (var v = 0; v < profile.Variants.Count; v++)
        {
            var genes = profile.Variants[v].Genes;
            var ids = new List<int>(genes.Count);
            foreach (var gene in genes)
            {
                if (index.TryGet(gene, out var id))
                {
                    ids.Add(id);
                    _genes[id >> 6] |= 1UL << (id & 63);
                    (lists[id] ??= []).Add(v);
                }
            }

            VariantGenes[v] = ids.Count == 0 ? None : [.. ids];
        }

        _variantsByGene = lists.Select(l => l is null ? None : l.ToArray()).ToArray();
    }

    public PatientProfile Profile { get; }

    /// <summary>The catalog gene ids of each variant.</summary>
    internal int[][] VariantGenes { get; }

    internal bool HasGene(int id) => (_genes[id >> 6] & (1UL << (id & 63))) != 0;

    internal int[] VariantsOf(int gene) => _variantsByGene[gene];
}

/// <summary>The genes a catalog's rules name, numbered.</summary>
internal sealed class GeneIndex
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _ids.Count;

    public int Add(string gene) => _ids.TryGetValue(gene, out var id) ? id : _ids[gene] = _ids.Count;

    public bool TryGet(string gene, out int id) => _ids.TryGetValue(gene, out id);
}
