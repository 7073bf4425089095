using Hl7.Fhir.Model;
using Impress.Fhir.Export.Anonymization;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationMethodTests;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationTestData;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

public sealed class ProcessingErrorTests
{
    private const string Rules = """
        [
          { "path": "Patient.name", "method": "redact" },
          { "path": "Patient.gender", "method": "perturb", "span": 2 },
          { "path": "Patient.birthDate", "method": "redact" }
        ]
        """;

    [Fact]
    public void Raise_throws_naming_the_rule_and_the_element()
    {
        var anonymizer = Anonymizer(Policy(Rules));

        var error = Assert.Throws<AnonymizationProcessingException>(() => anonymizer.Anonymize(Person(), AnonymizationSubject.None));

        Assert.Equal(1, error.Rule.Index);
        Assert.Equal("Patient.gender", error.Location);
        Assert.Equal("fhirPathRules[1] (perturb) on Patient.gender: perturb changes numbers and quantities, and this is a code.", error.Message);
    }

    [Fact]
    public void Skip_emits_an_empty_resource_of_the_type_labelled_redacted()
    {
        var anonymizer = Anonymizer(Policy(Rules, processingErrors: "skip"));

        var emitted = anonymizer.Anonymize(Person(), AnonymizationSubject.None);

        var patient = Assert.IsType<Patient>(emitted);
        Assert.Null(patient.Id);
        Assert.Empty(patient.Name);
        Assert.Null(patient.BirthDate);
        var label = Assert.Single(patient.Meta!.Security);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED"), (label.System, label.Code));
        Assert.Equal("""{"resourceType":"Patient","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue","code":"REDACTED","display":"redacted"}]}}""", Json(patient));
    }

    [Fact]
    public void Keep_leaves_the_element_and_the_rules_after_it_still_run()
    {
        var anonymizer = Anonymizer(Policy(Rules, processingErrors: "keep"));
        var person = Person();

        var emitted = anonymizer.Anonymize(person, AnonymizationSubject.None);

        Assert.Same(person, emitted);
        Assert.Equal(AdministrativeGender.Female, person.Gender);
        Assert.Empty(person.Name);
        Assert.Null(person.BirthDate);
    }

    [Fact]
    public void A_failing_element_changes_nothing_before_the_failure_is_handled()
    {
        var identifier = new Identifier("urn:x", "abc") { Period = new Period { Start = "2020-01-01" } };
        var patient = new Patient { Identifier = [identifier] };

        Anonymizer(Policy("""[ { "path": "Patient.identifier", "method": "cryptoHash" } ]""", processingErrors: "keep")).Anonymize(patient, AnonymizationSubject.None);

        Assert.Equal(("urn:x", "abc", "2020-01-01"), (identifier.System, identifier.Value, identifier.Period.Start));
    }
}
