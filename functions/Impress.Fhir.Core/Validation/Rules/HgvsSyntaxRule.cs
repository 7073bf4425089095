using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;

namespace Impress.Fhir.Validation.Rules;

/// <summary>Coding (c.), protein (p.) and genomic (g.) HGVS components must be HGVS expressions of that kind.</summary>
public sealed class HgvsSyntaxRule : IValidationRule
{
    private static readonly (string Code, string Kind, string Example, Func<string, bool> IsValid)[] Checks =
    [
        (Codes.CodingHgvs, "coding (c.)", "NM_004333.6:c.1799T>A", Hgvs.IsCoding),
        (Codes.ProteinHgvs, "protein (p.)", "NP_004324.2:p.(Val600Glu)", Hgvs.IsProtein),
        (Codes.GenomicHgvs, "genomic (g.)", "NC_000007.13:g.140453136A>T", Hgvs.IsGenomic),
    ];

    public string Id => "hgvs-syntax";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Observation>())
        {
            var observation = (Observation)entry.Resource;
            foreach (var (code, kind, example, isValid) in Checks)
            {
                foreach (var (component, index) in ObservationComponents.WithCode(observation, code))
                {
                    foreach (var text in ObservationComponents.Texts(component.Value))
                    {
                        if (!isValid(text))
                        {
                            issues.Add(this.Error(entry, $"component[{index}].value",
                                $"'{text}' is not a valid HGVS {kind} expression (expected something like {example})."));
                        }
                    }
                }
            }
        }
    }
}
