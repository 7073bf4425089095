using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Validation.Rules;

/// <summary>Reads the LOINC-coded components of genomics Observations.</summary>
internal static class ObservationComponents
{
    /// <summary>The components coded with <paramref name="loincCode"/>, with their index in Observation.component.</summary>
    public static IEnumerable<(Observation.ComponentComponent Component, int Index)> WithCode(Observation observation, string loincCode) =>
        WithCode(observation, Codes.Loinc, loincCode);

    /// <summary>The components coded with <paramref name="code"/> of <paramref name="system"/>, with their index.</summary>
    public static IEnumerable<(Observation.ComponentComponent Component, int Index)> WithCode(Observation observation, string system, string code)
    {
        for (var i = 0; i < observation.Component.Count; i++)
        {
            var component = observation.Component[i];
            if (component.Code?.Coding.Any(c => c.System == system && c.Code == code) == true)
            {
                yield return (component, i);
            }
        }
    }

    /// <summary>The text of a component's value: its codings' codes, else its text, or a string value.</summary>
    public static IEnumerable<string> Texts(DataType? value) => value switch
    {
        CodeableConcept concept when concept.Coding.Any(c => !string.IsNullOrEmpty(c.Code)) =>
            concept.Coding.Select(c => c.Code).OfType<string>().Where(code => code.Length > 0),
        CodeableConcept { Text: { Length: > 0 } text } => [text],
        FhirString { Value: { Length: > 0 } text } => [text],
        _ => [],
    };
}
