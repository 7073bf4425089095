using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Norway;

namespace Impress.Fhir.Validation.Rules;

/// <summary>Fødselsnummer and D-number identifiers must be well-formed, with valid dates and mod-11 check digits.</summary>
public sealed class NationalIdentityNumberRule : IValidationRule
{
    public string Id => "fnr-check-digits";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Patient>())
        {
            var patient = (Patient)entry.Resource;
            for (var i = 0; i < patient.Identifier.Count; i++)
            {
                var identifier = patient.Identifier[i];
                var system = identifier.System;
                if (system is not (NorwegianIdentifierSystems.NationalIdentityNumber or NorwegianIdentifierSystems.DNumber))
                {
                    continue;
                }

                var name = system == NorwegianIdentifierSystems.DNumber ? "D-number" : "fødselsnummer";
                var path = $"identifier[{i}].value";
                var error = NorwegianIdentityNumber.TryParse(identifier.Value, out var number);
                var message = error switch
                {
                    NorwegianIdentityNumberError.NotElevenDigits => $"The {name} must be exactly 11 digits.",
                    NorwegianIdentityNumberError.InvalidDate => $"The {name} does not start with a valid birth date (DDMMYY).",
                    NorwegianIdentityNumberError.InvalidCheckDigits => $"The {name} has wrong check digits (mod 11): it is mistyped or not a real number.",
                    _ when system == NorwegianIdentifierSystems.NationalIdentityNumber && number.Kind == NorwegianIdentityNumberKind.DNumber =>
                        $"The number is a D-number (day + 40) but its system is the fødselsnummer system; use {NorwegianIdentifierSystems.DNumber}.",
                    _ when system == NorwegianIdentifierSystems.DNumber && number.Kind != NorwegianIdentityNumberKind.DNumber =>
                        $"The number is not a D-number (its day is not 41-71) but its system is the D-number system; use {NorwegianIdentifierSystems.NationalIdentityNumber}.",
                    _ => null,
                };
                if (message is not null)
                {
                    issues.Add(this.Error(entry, path, message));
                }
            }
        }
    }
}
