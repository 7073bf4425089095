using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>FHIR type names as FHIRPath and <c>nodesByType</c> see them.</summary>
internal static class FhirTypeNames
{
    /// <summary>
    /// The instance type: the POCO's FHIR type, except that the SDK names backbone elements after their path
    /// ("Observation.component"), which FHIRPath calls BackboneElement (or Element, for the few that are not backbones).
    /// </summary>
    public static string InstanceTypeOf(Base value) => value switch
    {
        BackboneElement => "BackboneElement",
        _ when value.TypeName.Contains('.') => "Element",
        _ => value.TypeName,
    };
}
