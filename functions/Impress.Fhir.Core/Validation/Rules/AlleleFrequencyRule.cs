using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Validation.Rules;

/// <summary>A variant allele frequency is a fraction in [0, 1].</summary>
public sealed class AlleleFrequencyRule : IValidationRule
{
    public string Id => "allele-frequency-range";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Observation>())
        {
            foreach (var (component, index) in ObservationComponents.WithCode((Observation)entry.Resource, Codes.AlleleFrequency))
            {
                var value = component.Value switch
                {
                    Quantity q => q.Value,
                    FhirDecimal d => d.Value,
                    _ => null,
                };
                if (value is < 0m or > 1m)
                {
                    var hint = value <= 100m ? " It looks like a percentage; record the fraction (0.42, not 42)." : "";
                    issues.Add(this.Error(entry, $"component[{index}].value",
                        $"The allele frequency {value} is outside 0..1.{hint}"));
                }
            }
        }
    }
}
