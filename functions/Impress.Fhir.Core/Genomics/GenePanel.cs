using Hl7.Fhir.Model;

namespace Impress.Fhir.Genomics;

/// <summary>The genes a sequencing panel covers, by HGNC id and by the symbol the lab software reports.</summary>
public sealed class GenePanel
{
    private readonly HashSet<string> _hgncIds;
    private readonly Dictionary<string, Gene> _bySymbol;
    private readonly Dictionary<string, string> _symbolByHgncId;

    /// <summary>A panel of genes; a gene listed more than once (under other symbols) keeps its first symbol as its name.</summary>
    public GenePanel(string name, IEnumerable<(string HgncId, string Symbol)> genes)
    {
        Name = name;
        var list = genes.ToList();
        _hgncIds = new HashSet<string>(list.Select(g => g.HgncId), StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        _bySymbol = new Dictionary<string, Gene>(StringComparer.OrdinalIgnoreCase);
        foreach (var (hgncId, symbol) in list)
        {
            names.TryAdd(hgncId, symbol);
            _bySymbol.TryAdd(symbol, new Gene(hgncId, names[hgncId]));
        }

        _symbolByHgncId = names;
    }

    public string Name { get; }

    public int Count => _hgncIds.Count;

    /// <summary>Reads a panel from a ValueSet that enumerates HGNC codes with their symbols as display (and designations).</summary>
    public static GenePanel FromValueSet(ValueSet valueSet)
    {
        var genes = new List<(string, string)>();
        foreach (var include in valueSet.Compose?.Include ?? [])
        {
            foreach (var concept in include.Concept)
            {
                if (string.IsNullOrEmpty(concept.Code))
                {
                    continue;
                }

                genes.Add((concept.Code, concept.Display ?? concept.Code));
                genes.AddRange(concept.Designation.Where(d => !string.IsNullOrEmpty(d.Value)).Select(d => (concept.Code, d.Value!)));
            }
        }

        return new GenePanel(valueSet.Title ?? valueSet.Name ?? valueSet.Url ?? "gene", genes);
    }

    public bool ContainsHgncId(string hgncId) => _hgncIds.Contains(hgncId);

    public bool ContainsSymbol(string symbol) => _bySymbol.ContainsKey(symbol);

    /// <summary>The panel's gene of <paramref name="symbol"/> (its approved symbol or another it is listed under).</summary>
    public bool TryGetGene(string symbol, out Gene gene) => _bySymbol.TryGetValue(symbol, out gene);

    /// <summary>The approved symbol of a panel gene given by its HGNC id ("HGNC:1097" -> "BRAF").</summary>
    public bool TryGetSymbol(string hgncId, out string symbol) => _symbolByHgncId.TryGetValue(hgncId, out symbol!);

    /// <summary>A gene of the panel: its HGNC id and approved symbol.</summary>
    public readonly record struct Gene(string HgncId, string Symbol);
}
