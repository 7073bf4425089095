using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// A gene studied outside the sequencing panel is suspicious (a typo, or another assay's result): a warning. The
/// partner of a fusion is the exception: the panel targets one gene of a fusion, and its partner may be any gene.
/// </summary>
public sealed class PanelGeneRule(GenePanel panel) : IValidationRule
{
    public string Id => "gene-in-panel";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Observation>())
        {
            var observation = (Observation)entry.Resource;
            var genes = ObservationComponents.WithCode(observation, Codes.GeneStudied)
                .Where(g => g.Component.Value is CodeableConcept)
                .Select(g => (Gene: (CodeableConcept)g.Component.Value!, g.Index))
                .ToList();
            var fusionOfPanelGene = IsFusion(observation) && genes.Any(g => InPanel(g.Gene));
            foreach (var (gene, index) in genes)
            {
                if (!fusionOfPanelGene && !InPanel(gene))
                {
                    issues.Add(this.Warning(entry, $"component[{index}].value",
                        $"The gene {SymbolOf(gene) ?? "(unnamed)"} is not in the {panel.Name} panel.",
                        OperationOutcome.IssueType.CodeInvalid));
                }
            }
        }
    }

    private bool InPanel(CodeableConcept gene)
    {
        var hgnc = gene.Coding.FirstOrDefault(c => c.System == Codes.Hgnc && !string.IsNullOrEmpty(c.Code));
        return hgnc?.Code is { } hgncId ? panel.ContainsHgncId(hgncId) : SymbolOf(gene) is { } symbol && panel.ContainsSymbol(symbol);
    }

    private static string? SymbolOf(CodeableConcept gene)
    {
        var hgnc = gene.Coding.FirstOrDefault(c => c.System == Codes.Hgnc && !string.IsNullOrEmpty(c.Code));
        return hgnc?.Display ?? gene.Text ?? gene.Coding.FirstOrDefault()?.Display ?? gene.Coding.FirstOrDefault()?.Code;
    }

    private static bool IsFusion(Observation observation) =>
        ObservationComponents.WithCode(observation, Codes.ImpressGenomics, Codes.VariantCategoryComponent)
            .Any(c => c.Component.Value is CodeableConcept category && category.Coding.Any(x => x.System == Codes.VariantCategory && x.Code == "fusion"));
}
