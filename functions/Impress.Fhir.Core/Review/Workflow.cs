using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Review;

/// <summary>Codes of CodeSystem impress-workflow.</summary>
public static class Workflow
{
    public static CodeableConcept Concept(string code, string? display = null) => new(ImpressProfiles.WorkflowCodeSystem, code, display);

    public static bool Has(CodeableConcept? concept, string code) =>
        concept?.Coding.Any(c => c.System == ImpressProfiles.WorkflowCodeSystem && c.Code == code) == true;
}
