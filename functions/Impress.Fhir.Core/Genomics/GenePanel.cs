using Hl7.Fhir.Model;

namespace Impress.Fhir.Genomics;

/// <summary>The genes a sequencing panel covers, by HGNC id and by the symbol the lab software reports.</summary>
public sealed class GenePanel
{
    private readonly HashSet<string> _hgncIds;
    private readonly HashSet<string> _symbols;

    public GenePanel(string name, IEnumerable<(string HgncId, string Symbol)> genes)
    {
        Name = name;
        var list = genes.ToList();
        _hgncIds = new HashSet<string>(list.Select(g => g.HgncId), StringComparer.OrdinalIgnoreCase);
        _symbols = new HashSet<string>(list.Select(g => g.Symbol), StringComparer.OrdinalIgnoreCase);
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

    public bool ContainsSymbol(string symbol) => _symbols.Contains(symbol);
}
