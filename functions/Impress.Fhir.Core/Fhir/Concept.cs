using Hl7.Fhir.Model;

namespace Impress.Fhir.Fhir;

/// <summary>
/// CodeableConcepts of one coding. The SDK's three-argument constructor takes the concept's text, not the coding's
/// display, which is easy to get wrong.
/// </summary>
public static class Concept
{
    public static CodeableConcept Coded(string system, string code, string? display = null) => new() { Coding = [new Coding(system, code, display)] };
}
