using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;

namespace Impress.Fhir.Validation.Rules;

/// <summary>A gene studied outside the sequencing panel is suspicious (a typo, or another assay's result): a warning.</summary>
public sealed class PanelGeneRule(GenePanel panel) : IValidationRule
{
    public string Id => "gene-in-panel";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Observation>())
        {
            foreach (var (component, index) in ObservationComponents.WithCode((Observation)entry.Resource, Codes.GeneStudied))
            {
                if (component.Value is not CodeableConcept gene)
                {
                    continue;
                }

                var hgnc = gene.Coding.FirstOrDefault(c => c.System == Codes.Hgnc && !string.IsNullOrEmpty(c.Code));
                var symbol = hgnc?.Display ?? gene.Text ?? gene.Coding.FirstOrDefault()?.Display ?? gene.Coding.FirstOrDefault()?.Code;
                var known = hgnc?.Code is { } hgncId ? panel.ContainsHgncId(hgncId) : symbol is not null && panel.ContainsSymbol(symbol);
                if (!known)
                {
                    issues.Add(this.Warning(entry, $"component[{index}].value",
                        $"The gene {symbol ?? hgnc?.Code ?? "(unnamed)"} is not in the {panel.Name} panel.",
                        OperationOutcome.IssueType.CodeInvalid));
                }
            }
        }
    }
}
