using Hl7.Fhir.Model;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Testing;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationTestData;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

public sealed class IdentityScrubTests
{
    private const string Scrubs = "\"scrubNationalIdentityNumbers\": true, \"scrubPatientNames\": true";

    private static readonly AnonymizationSubject Kari = new("p1", ["Kari", "Anne", "Testesen", "Li"]);

    [Fact]
    public void Valid_national_identity_numbers_and_D_numbers_are_replaced_wherever_they_are()
    {
        var fødselsnummer = TestData.ValidNumber("150384");
        var dNumber = TestData.ValidNumber("550384");
        var synthetic = SyntheticIdentities.NationalId(7);

        Assert.Equal("Pasient [national id], D-nr. [national id]; test ([national id]).", Scrub($"Pasient {fødselsnummer}, D-nr. {dNumber}; test ({synthetic})."));
        Assert.Equal("urn:fnr:[national id]", Scrub($"urn:fnr:{fødselsnummer}"));
    }

    [Fact]
    public void Numbers_written_with_a_space_or_a_dot_after_the_date_are_replaced()
    {
        var number = TestData.ValidNumber("150384");

        Assert.Equal("fnr [national id] and [national id]", Scrub($"fnr {number[..6]} {number[6..]} and {number[..6]}.{number[6..]}"));
    }

    [Fact]
    public void Numbers_that_fail_the_check_digits_or_are_part_of_longer_numbers_stay()
    {
        var number = TestData.ValidNumber("150384");
        var wrongCheckDigit = number[..10] + (char)('0' + ((number[10] - '0' + 1) % 10));
        var text = $"sample {wrongCheckDigit}, run 9{number}, accession {number}7, position 140453136";

        Assert.Equal(text, Scrub(text));
    }

    [Fact]
    public void Name_parts_are_replaced_as_whole_words_in_any_case()
    {
        Assert.Equal("[name] [name] (born [name]-[name]) met Karina and Annette; [name] [name].", Scrub("Kari Testesen (born Kari-Anne) met Karina and Annette; KARI testesen."));
    }

    [Fact]
    public void In_a_kept_narrative_only_the_text_between_tags_is_scrubbed()
    {
        var number = TestData.ValidNumber("150384");
        var patient = new Patient
        {
            Text = new Narrative
            {
                Status = Narrative.NarrativeStatus.Generated,
                Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><ul><li>Li Testesen &amp; Kari, {number}</li></ul></div>",
            },
        };

        Apply("[]", patient, Scrubs, Kari);

        Assert.Equal("<div xmlns=\"http://www.w3.org/1999/xhtml\"><ul><li>[name] [name] &amp; [name], [national id]</li></ul></div>", patient.Text.Div);
    }

    [Fact]
    public void Pseudonyms_and_policy_constants_are_not_scrubbed()
    {
        var number = TestData.ValidNumber("150384");
        var patient = new Patient { Name = [new HumanName { Family = "Testesen", Text = $"Kari {number}" }] };

        Apply($$"""[ { "path": "Patient.name.text", "method": "substitute", "replaceWith": "Kari {{number}}" } ]""", patient, Scrubs, Kari);

        Assert.Equal("[name]", patient.Name[0].Family);
        Assert.Equal($"Kari {number}", patient.Name[0].Text);
    }

    [Fact]
    public void Without_the_parameters_nothing_is_scrubbed()
    {
        var text = $"Kari {TestData.ValidNumber("150384")}";
        var observation = new Observation { Value = new FhirString(text) };

        Apply("[]", observation, subject: Kari);

        Assert.Equal(text, ((FhirString)observation.Value!).Value);
    }

    [Fact]
    public void A_subject_of_a_patient_has_the_words_of_all_its_names()
    {
        var patient = new Patient
        {
            Id = "p1",
            Name =
            [
                new HumanName { Family = "Testesen Nordmann", Given = ["Kari-Anne", "J."] },
                new HumanName { Text = "K. Testesen" },
            ],
        };

        var subject = AnonymizationSubject.Of(patient);

        Assert.Equal("p1", subject.PatientId);
        Assert.Equal(["Testesen", "Nordmann", "Kari", "Anne"], subject.NameParts);
    }

    private static string Scrub(string text)
    {
        var observation = new Observation { Value = new FhirString(text) };
        Apply("[]", observation, Scrubs, Kari);
        return ((FhirString)observation.Value!).Value!;
    }
}
