using Hl7.Fhir.Model;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationMethodTests;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationTestData;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

/// <summary>Which elements rules select, and what an earlier rule's work means for a later one.</summary>
public sealed class RuleSelectionTests
{
    [Fact]
    public void Keeping_the_country_then_redacting_the_address_leaves_only_the_country()
    {
        var patient = Person();
        patient.Address.Add(new Address { Line = ["Testveien 12"], PostalCode = "3015", City = "Drammen", Country = "NO", Period = new Period { Start = "2001-01-01" } });

        Apply("""[ { "path": "nodesByType('Address').country", "method": "keep" }, { "path": "nodesByType('Address')", "method": "redact" } ]""", patient);

        var address = patient.Address.Single();
        Assert.Equal("NO", address.Country);
        Assert.Empty(address.Line);
        Assert.Null(address.City);
        Assert.Null(address.PostalCode);
        Assert.Null(address.Period);
    }

    [Fact]
    public void An_element_an_earlier_rule_processed_is_not_processed_again()
    {
        var patient = Person();
        patient.Identifier.Add(new Identifier("urn:oid:2.16.578.1.12.4.1.4.1", "15836148239") { Use = Identifier.IdentifierUse.Official });

        Apply("""
            [
              { "path": "Patient.name", "method": "redact" },
              { "path": "Patient.name", "method": "keep" },
              { "path": "nodesByType('Identifier').value", "method": "cryptoHash" },
              { "path": "nodesByType('Identifier').value", "method": "redact" },
              { "path": "Patient.identifier.system", "method": "keep" },
              { "path": "nodesByType('Identifier')", "method": "redact" }
            ]
            """, patient);

        Assert.Empty(patient.Name);
        var identifier = patient.Identifier.Single();
        Assert.Matches("^[0-9a-f]{64}$", identifier.Value);
        Assert.Equal("urn:oid:2.16.578.1.12.4.1.4.1", identifier.System);
        Assert.Null(identifier.Use);
    }

    [Fact]
    public void Elements_no_rule_selects_are_kept()
    {
        var patient = Apply("""[ { "path": "Patient.name", "method": "redact" } ]""", Person());

        Assert.Equal("1961-03-15", patient.BirthDate);
        Assert.Equal("+47 99887766", patient.Telecom.Single().Value);
    }

    [Fact]
    public void NodesByType_and_nodesByName_find_elements_anywhere_in_the_resource()
    {
        var observation = Variant();

        Apply("""[ { "path": "nodesByType('Coding').display", "method": "redact" }, { "path": "nodesByName('system')", "method": "substitute", "replaceWith": "urn:x" } ]""", observation);

        var codings = observation.Code.Coding.Concat(observation.Component.SelectMany(c => c.Code.Coding.Concat(((CodeableConcept)c.Value!).Coding))).ToList();
        Assert.All(codings, coding => Assert.Null(coding.Display));
        Assert.All(codings, coding => Assert.Equal("urn:x", coding.System));
        Assert.Equal("HGNC:1097", ((CodeableConcept)observation.Component[0].Value!).Coding[0].Code);
    }

    [Fact]
    public void Resource_and_DomainResource_paths_apply_to_every_resource_type_paths_to_theirs()
    {
        const string Rules = """
            [
              { "path": "Resource.id", "method": "substitute", "replaceWith": "x" },
              { "path": "DomainResource.text", "method": "redact" },
              { "path": "Patient.gender", "method": "redact" }
            ]
            """;
        var narrative = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>" };
        var patient = Person();
        patient.Text = narrative;
        var observation = Variant();
        observation.Id = "o1";
        observation.Text = (Narrative)narrative.DeepCopy();

        Apply(Rules, patient);
        Apply(Rules, observation);

        Assert.Equal(("x", "x"), (patient.Id, observation.Id));
        Assert.Null(patient.Text);
        Assert.Null(observation.Text);
        Assert.Null(patient.Gender);
        Assert.Equal(ObservationStatus.Final, observation.Status);
    }

    [Fact]
    public void FHIRPath_beyond_element_names_selects_what_it_evaluates_to()
    {
        var patient = Person();
        patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, "+47 22 00 00 00"));
        patient.Name.Add(new HumanName { Use = HumanName.NameUse.Nickname, Family = "Kaja" });
        var variant = Variant();

        Apply("""
            [
              { "path": "nodesByType('ContactPoint').where(use = 'home')", "method": "redact" },
              { "path": "Patient.name.where(use = 'nickname') | Patient.gender", "method": "redact" }
            ]
            """, patient);
        Apply("""[ { "path": "Observation.component.where(code.coding.code = '48018-6').value", "method": "substitute", "replaceWith": { "text": "gene" } } ]""", variant);

        Assert.Equal("+47 22 00 00 00", patient.Telecom.Single().Value);
        Assert.Equal(["Testesen"], patient.Name.Select(name => name.Family));
        Assert.Null(patient.Gender);
        Assert.Equal("gene", ((CodeableConcept)variant.Component[0].Value!).Text);
        Assert.Empty(((CodeableConcept)variant.Component[0].Value!).Coding);
        Assert.Equal("snv", ((CodeableConcept)variant.Component[1].Value!).Coding[0].Code);
    }

    [Fact]
    public void A_contained_resource_is_anonymized_as_a_resource_of_its_own()
    {
        var observation = Variant();
        observation.Id = "o1";
        observation.Effective = new FhirDateTime("2024-05-02");
        var contained = Person();
        contained.Id = "c1";
        observation.Contained.Add(contained);
        var alone = Person();
        alone.Id = "c1";
        const string Rules = """[ { "path": "nodesByType('date') | nodesByType('dateTime')", "method": "dateShift" }, { "path": "Patient.name", "method": "redact" } ]""";

        Apply(Rules, observation);
        Apply(Rules, alone);

        var patient = (Patient)observation.Contained.Single();
        Assert.Empty(patient.Name);
        Assert.Equal(alone.BirthDate, patient.BirthDate);
        Assert.NotEqual("1961-03-15", patient.BirthDate);
    }

    [Fact]
    public void A_contained_resource_a_rule_keeps_or_removes_is_not_anonymized()
    {
        var kept = Variant();
        kept.Contained.Add(Person());
        var removed = Variant();
        removed.Contained.Add(Person());

        Apply("""[ { "path": "Observation.contained", "method": "keep" }, { "path": "Patient.name", "method": "redact" } ]""", kept);
        Apply("""[ { "path": "Observation.contained", "method": "redact" } ]""", removed);

        Assert.Equal("Testesen", ((Patient)kept.Contained.Single()).Name[0].Family);
        Assert.Empty(removed.Contained);
    }

    internal static Observation Variant() => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "69548-6", "Genetic variant assessment"),
        Component =
        [
            new Observation.ComponentComponent
            {
                Code = new CodeableConcept("http://loinc.org", "48018-6", "Gene studied [ID]"),
                Value = new CodeableConcept("http://www.genenames.org/geneId", "HGNC:1097", "BRAF"),
            },
            new Observation.ComponentComponent
            {
                Code = new CodeableConcept("http://impress-norway.no/fhir/CodeSystem/impress-genomics", "variant-category", "Variant category"),
                Value = new CodeableConcept("http://impress-norway.no/fhir/CodeSystem/impress-variant-category", "snv", "Single nucleotide variant"),
            },
        ],
    };
}
