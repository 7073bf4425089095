using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Validation;

/// <summary>
/// Chooses the IMPRESS profile for a resource that declares none in meta.profile. EHRs often leave meta.profile
/// out; an IMPRESS server still holds such a Patient to the IMPRESS patient profile, an Observation coded as a
/// variant to the variant profile, and so on. Resources of other kinds are validated against the core specification.
/// </summary>
public static class ProfileSelector
{
    public static string? InferProfile(Resource resource) => resource switch
    {
        Patient => ImpressProfiles.Patient,
        Specimen => ImpressProfiles.Specimen,
        Condition => ImpressProfiles.TumorDiagnosis,
        DiagnosticReport report when HasLoinc(report.Code, Codes.GenomicReport) => ImpressProfiles.GenomicReport,
        Observation observation when HasLoinc(observation.Code, Codes.Variant) => ImpressProfiles.Variant,
        Observation observation when HasLoinc(observation.Code, Codes.Tmb) => ImpressProfiles.Tmb,
        Observation observation when HasLoinc(observation.Code, Codes.Msi) => ImpressProfiles.Msi,
        Observation observation when Has(observation.Code, Codes.ImpressGenomics, Codes.GenomicInstabilityScore) => ImpressProfiles.Gis,
        MolecularSequence => ImpressProfiles.MolecularSequence,
        CarePlan => ImpressProfiles.CarePlan,
        ResearchSubject => ImpressProfiles.ResearchSubject,
        Hl7.Fhir.Model.Task task when Has(task.Code, ImpressProfiles.WorkflowCodeSystem, "mol-mdt-review") => ImpressProfiles.ReviewTask,
        Hl7.Fhir.Model.Task task when Has(task.Code, ImpressProfiles.WorkflowCodeSystem, "ehr-delivery") => ImpressProfiles.DeliveryTask,
        _ => null,
    };

    /// <summary>The profiles a resource is held to: those it declares, else the inferred one, else none (core only).</summary>
    public static IReadOnlyList<string> ProfilesFor(Resource resource)
    {
        var declared = resource.Meta?.Profile?.OfType<string>().Where(p => p.Length > 0).ToList();
        if (declared is { Count: > 0 })
        {
            return declared;
        }

        return InferProfile(resource) is { } inferred ? [inferred] : [];
    }

    private static bool HasLoinc(CodeableConcept? concept, string code) => Has(concept, Codes.Loinc, code);

    private static bool Has(CodeableConcept? concept, string system, string code) =>
        concept?.Coding.Any(c => c.System == system && c.Code == code) == true;
}
