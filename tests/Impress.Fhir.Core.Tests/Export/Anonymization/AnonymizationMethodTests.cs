using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Export.Anonymization;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationTestData;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

public sealed class AnonymizationMethodTests
{
    private const string PartialDates = "\"enablePartialDatesForRedact\": true";

    [Fact]
    public void Keep_leaves_the_element_and_protects_it_from_later_rules()
    {
        var patient = Apply("""[ { "path": "Patient.name", "method": "keep" }, { "path": "nodesByType('HumanName')", "method": "redact" } ]""", Person());

        Assert.Equal("Testesen", patient.Name.Single().Family);
    }

    [Fact]
    public void Redact_removes_the_element_and_the_parents_it_leaves_empty()
    {
        var patient = Person();
        patient.Name.Add(new HumanName { Family = "Nordmann" });

        Apply("""[ { "path": "Patient.name.family", "method": "redact" }, { "path": "Patient.telecom", "method": "redact" } ]""", patient);

        Assert.Equal(["Kari"], patient.Name.Single().Given);
        Assert.Empty(patient.Telecom);
        Assert.DoesNotContain("Testesen", Json(patient));
    }

    [Fact]
    public void Redact_with_partial_dates_keeps_the_year_of_dates_that_imply_no_age_over_89()
    {
        var young = Apply("""[ { "path": "Patient.birthDate | Patient.deceased", "method": "redact" } ]""", Person("1961-03-15", new FhirDateTime("2025-05-02T10:00:00+02:00")), PartialDates);
        var old = Apply("""[ { "path": "Patient.birthDate", "method": "redact" } ]""", Person("1930-01-01"), PartialDates);
        var whole = Apply("""[ { "path": "Patient.birthDate", "method": "redact" } ]""", Person("1961-03-15"));

        Assert.Equal("1961", young.BirthDate);
        Assert.Equal("2025", ((FhirDateTime)young.Deceased!).Value);
        Assert.Null(old.BirthDate);
        Assert.Null(whole.BirthDate);
    }

    [Fact]
    public void Redact_with_partial_ages_keeps_ages_up_to_89_years()
    {
        Condition Onset(decimal value, string unit) => new() { Onset = new Age { Value = value, Unit = unit, Code = unit, System = "http://unitsofmeasure.org" } };
        const string Rules = """[ { "path": "nodesByType('Age')", "method": "redact" } ]""";
        const string PartialAges = "\"enablePartialAgesForRedact\": true";

        Assert.Equal(45m, ((Age)Apply(Rules, Onset(45, "a"), PartialAges).Onset!).Value);
        Assert.Equal(1000m, ((Age)Apply(Rules, Onset(1000, "d"), PartialAges).Onset!).Value);
        Assert.Null(Apply(Rules, Onset(95, "a"), PartialAges).Onset);
        Assert.Null(Apply(Rules, Onset(45, "a")).Onset);
    }

    [Fact]
    public void Redact_with_partial_postal_codes_keeps_three_characters_except_in_restricted_areas()
    {
        Patient Living(string postalCode) => new() { Address = [new Address { PostalCode = postalCode, City = "Bergen" }] };
        const string Rules = """[ { "path": "nodesByType('Address').postalCode", "method": "redact" } ]""";
        const string PartialZip = "\"enablePartialZipCodesForRedact\": true, \"restrictedZipCodeTabulationAreas\": [ \"987\" ]";

        Assert.Equal("5000", Apply(Rules, Living("5003"), PartialZip).Address[0].PostalCode);
        Assert.Equal("0000", Apply(Rules, Living("9876"), PartialZip).Address[0].PostalCode);
        Assert.Null(Apply(Rules, Living("5003")).Address[0].PostalCode);
    }

    [Fact]
    public void DateShift_moves_a_patients_dates_together_and_two_patients_apart()
    {
        const string Rules = """[ { "path": "nodesByType('date') | nodesByType('dateTime')", "method": "dateShift" } ]""";
        const string PatientScope = "\"dateShiftScope\": \"patient\"";
        var anna = new AnonymizationSubject("anna", []);
        var berit = new AnonymizationSubject("berit", []);

        var diagnosis = Apply(Rules, new Condition { Id = "c1", Onset = new FhirDateTime("2023-11-20") }, PatientScope, anna);
        var report = Apply(Rules, new DiagnosticReport { Id = "r1", Effective = new FhirDateTime("2024-05-02") }, PatientScope, anna);
        var other = Apply(Rules, new DiagnosticReport { Id = "r2", Effective = new FhirDateTime("2024-05-02") }, PatientScope, berit);

        var onset = DateOnly.Parse(((FhirDateTime)diagnosis.Onset!).Value!, CultureInfo.InvariantCulture);
        var reported = DateOnly.Parse(((FhirDateTime)report.Effective!).Value!, CultureInfo.InvariantCulture);
        var shift = reported.DayNumber - new DateOnly(2024, 5, 2).DayNumber;
        Assert.InRange(Math.Abs(shift), 1, 50);
        Assert.Equal(new DateOnly(2024, 5, 2).DayNumber - new DateOnly(2023, 11, 20).DayNumber, reported.DayNumber - onset.DayNumber);
        Assert.NotEqual(((FhirDateTime)report.Effective!).Value, ((FhirDateTime)other.Effective!).Value);
    }

    [Fact]
    public void DateShift_in_resource_scope_moves_each_resource_by_its_own_id()
    {
        const string Rules = """[ { "path": "nodesByType('dateTime')", "method": "dateShift" } ]""";
        var shifted = Enumerable.Range(0, 5)
            .Select(i => ((FhirDateTime)Apply(Rules, new DiagnosticReport { Id = $"r{i}", Effective = new FhirDateTime("2024-05-02") }).Effective!).Value)
            .ToList();
        var again = ((FhirDateTime)Apply(Rules, new DiagnosticReport { Id = "r0", Effective = new FhirDateTime("2024-05-02") }).Effective!).Value;

        Assert.True(shifted.Distinct().Count() > 1);
        Assert.Equal(shifted[0], again);
    }

    [Fact]
    public void DateShift_sets_the_time_to_midnight_and_keeps_the_zone()
    {
        var observation = Apply("""[ { "path": "nodesByType('dateTime') | nodesByType('instant')", "method": "dateShift" } ]""",
            new Observation { Id = "o1", Effective = new FhirDateTime("2024-05-02T10:15:30.123Z"), Issued = DateTimeOffset.Parse("2024-05-21T14:30:00+02:00", CultureInfo.InvariantCulture) });

        var effective = ((FhirDateTime)observation.Effective!).Value!;
        var issued = observation.IssuedElement!.Value;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T00:00:00Z$", effective);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T00:00:00\+02:00$", observation.IssuedElement!.JsonValue as string);
        Assert.Equal(DateOnly.Parse(effective[..10], CultureInfo.InvariantCulture).DayNumber - new DateOnly(2024, 5, 2).DayNumber,
            DateOnly.FromDateTime(issued!.Value.DateTime).DayNumber - new DateOnly(2024, 5, 21).DayNumber);
    }

    [Fact]
    public void DateShift_redacts_dates_without_a_day_and_dates_of_anyone_over_89()
    {
        const string Rules = """[ { "path": "nodesByType('date') | nodesByType('dateTime')", "method": "dateShift" } ]""";

        Assert.Null(Apply(Rules, new Condition { Onset = new FhirDateTime("2023-11") }).Onset);
        Assert.Equal("2023", ((FhirDateTime)Apply(Rules, new Condition { Onset = new FhirDateTime("2023-11") }, PartialDates).Onset!).Value);
        Assert.Null(Apply(Rules, Person("1920-06-01")).BirthDate);
    }

    [Fact]
    public void DateShift_on_a_complex_element_moves_the_dates_in_it()
    {
        var subject = Apply("""[ { "path": "ResearchSubject.period", "method": "dateShift" } ]""",
            new ResearchSubject { Id = "s1", Period = new Period { Start = "2024-06-03", End = "2024-09-23" } });

        var start = DateOnly.Parse(subject.Period!.Start!, CultureInfo.InvariantCulture);
        var end = DateOnly.Parse(subject.Period.End!, CultureInfo.InvariantCulture);
        Assert.NotEqual(new DateOnly(2024, 6, 3), start);
        Assert.Equal(112, end.DayNumber - start.DayNumber);
    }

    [Fact]
    public void CryptoHash_rewrites_ids_and_the_ids_in_references_alike()
    {
        const string Rules = """[ { "path": "Resource.id", "method": "cryptoHash" }, { "path": "nodesByType('Reference').reference", "method": "cryptoHash" } ]""";
        var expected = Hash("123");

        var patient = Apply(Rules, new Patient { Id = "123" });
        var observation = Apply(Rules, new Observation
        {
            Id = "o1",
            Subject = new ResourceReference("Patient/123"),
            Performer = [new ResourceReference("Patient/123/_history/2"), new ResourceReference("https://fhir.example.no/fhir/Patient/123"), new ResourceReference("#123")],
            Specimen = new ResourceReference("urn:uuid:9d3bde33-0671-535f-ae1c-43e0e9d2f227"),
            Device = new ResourceReference("Device?identifier=urn:oid:1|42"),
        });

        Assert.Equal(expected, patient.Id);
        Assert.Matches("^[0-9a-f]{64}$", patient.Id);
        Assert.Equal($"Patient/{expected}", observation.Subject!.Reference);
        Assert.Equal([$"Patient/{expected}/_history/2", $"https://fhir.example.no/fhir/Patient/{expected}", $"#{expected}"], observation.Performer.Select(p => p.Reference));
        Assert.Equal($"urn:uuid:{Hash("9d3bde33-0671-535f-ae1c-43e0e9d2f227")}", observation.Specimen!.Reference);
        Assert.Equal(Hash("Device?identifier=urn:oid:1|42"), observation.Device!.Reference);
    }

    [Fact]
    public void CryptoHash_refuses_a_value_a_hash_cannot_stand_for()
    {
        var error = Assert.Throws<AnonymizationProcessingException>(() => Apply("""[ { "path": "Patient.birthDate", "method": "cryptoHash" } ]""", Person()));

        Assert.Equal("fhirPathRules[0] (cryptoHash) on Patient.birthDate: cryptoHash replaces values with text, and this is a date.", error.Message);
    }

    [Fact]
    public void Encrypt_gives_a_ciphertext_the_key_reads_back_and_a_new_one_each_time()
    {
        const string Rules = """[ { "path": "Patient.name.family", "method": "encrypt" } ]""";

        var first = Apply(Rules, Person()).Name[0].Family!;
        var second = Apply(Rules, Person()).Name[0].Family!;

        Assert.NotEqual(first, second);
        Assert.Equal("Testesen", Decrypt(first));
        Assert.Equal("Testesen", Decrypt(second));
    }

    [Fact]
    public void Substitute_replaces_primitives_with_values_and_complex_elements_with_objects()
    {
        var patient = Person();
        patient.Address.Add(new Address { Line = ["Testveien 12"], PostalCode = "3015", City = "Drammen", Country = "NO" });
        var observation = new Observation { Value = new Integer(1187) };

        Apply("""
            [
              { "path": "Patient.birthDate", "method": "substitute", "replaceWith": "2000-01-01" },
              { "path": "Patient.gender", "method": "substitute", "replaceWith": null },
              { "path": "nodesByType('Address').country", "method": "keep" },
              { "path": "nodesByType('Address')", "method": "substitute", "replaceWith": { "city": "example city", "country": "SE", "period": { "start": "2000-01-01" } } }
            ]
            """, patient);
        Apply("""[ { "path": "Observation.value", "method": "substitute", "replaceWith": 0 } ]""", observation);

        Assert.Equal("2000-01-01", patient.BirthDate);
        Assert.Null(patient.Gender);
        var address = patient.Address.Single();
        Assert.Equal("example city", address.City);
        Assert.Equal("NO", address.Country);
        Assert.Equal("2000-01-01", address.Period!.Start);
        Assert.Empty(address.Line);
        Assert.Null(address.PostalCode);
        Assert.Equal(0, ((Integer)observation.Value!).Value);
    }

    [Fact]
    public void Substitute_refuses_a_replacement_of_the_wrong_kind()
    {
        var error = Assert.Throws<AnonymizationProcessingException>(() =>
            Apply("""[ { "path": "Observation.value", "method": "substitute", "replaceWith": "many" } ]""", new Observation { Value = new Integer(3) }));

        Assert.Equal("fhirPathRules[0] (substitute) on Observation.value: replaceWith is not a valid integer.", error.Message);
    }

    [Fact]
    public void Perturb_adds_noise_within_the_span()
    {
        for (var i = 0; i < 50; i++)
        {
            var fixedSpan = Apply("""[ { "path": "Observation.value", "method": "perturb", "span": 10, "roundTo": 2 } ]""", new Observation { Value = new Quantity(100m, "mg") });
            var proportional = Apply("""[ { "path": "Observation.component.value", "method": "perturb", "span": 0.2, "rangeType": "proportional" } ]""",
                new Observation { Component = [new Observation.ComponentComponent { Value = new Integer(1000) }] });

            var quantity = (Quantity)fixedSpan.Value!;
            Assert.InRange(quantity.Value!.Value, 95m, 105m);
            Assert.Equal("mg", quantity.Unit);
            Assert.InRange(((Integer)proportional.Component[0].Value!).Value!.Value, 900, 1100);
        }

        var values = Enumerable.Range(0, 20)
            .Select(_ => ((Quantity)Apply("""[ { "path": "Observation.value", "method": "perturb", "span": 10 } ]""", new Observation { Value = new Quantity(100m, "mg") }).Value!).Value)
            .ToHashSet();
        Assert.True(values.Count > 1, "The noise should vary.");
    }

    [Fact]
    public void Perturb_refuses_what_is_not_a_number()
    {
        var error = Assert.Throws<AnonymizationProcessingException>(() => Apply("""[ { "path": "Patient.gender", "method": "perturb", "span": 1 } ]""", Person()));

        Assert.Equal("fhirPathRules[0] (perturb) on Patient.gender: perturb changes numbers and quantities, and this is a code.", error.Message);
    }

    [Fact]
    public void Generalize_maps_by_the_first_true_case_and_treats_the_rest_as_the_rule_says()
    {
        const string Cases = """ "cases": { "$this >= 0 and $this < 20": "20", "$this >= 20 and $this < 40": "40" } """;
        Observation Count(int value) => new() { Value = new Integer(value) };

        Assert.Equal(20, ((Integer)Apply($$"""[ { "path": "Observation.value", "method": "generalize", {{Cases}} } ]""", Count(18)).Value!).Value);
        Assert.Equal(40, ((Integer)Apply($$"""[ { "path": "Observation.value", "method": "generalize", {{Cases}} } ]""", Count(25)).Value!).Value);
        Assert.Null(Apply($$"""[ { "path": "Observation.value", "method": "generalize", {{Cases}} } ]""", Count(70)).Value);
        Assert.Equal(70, ((Integer)Apply($$"""[ { "path": "Observation.value", "method": "generalize", {{Cases}}, "otherValues": "keep" } ]""", Count(70)).Value!).Value);

        var birth = Apply("""[ { "path": "Patient.birthDate", "method": "generalize", "cases": { "$this >= @1960-01-01 and $this < @1970-01-01": "@1960" } } ]""", Person("1961-03-15"));
        Assert.Equal("1960", birth.BirthDate);

        var language = new Patient { Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", "en-GB") }] };
        Apply("""[ { "path": "Patient.communication.language.coding.code", "method": "generalize", "cases": { "$this in ('en-AU' | 'en-GB' | 'en-US')": "'en'" } } ]""", language);
        Assert.Equal("en", language.Communication[0].Language.Coding[0].Code);
    }

    [Fact]
    public void Generalize_refuses_a_complex_element()
    {
        var error = Assert.Throws<AnonymizationProcessingException>(() =>
            Apply("""[ { "path": "Patient.name", "method": "generalize", "cases": { "true": "'x'" } } ]""", Person()));

        Assert.Equal("fhirPathRules[0] (generalize) on Patient.name[0]: generalize maps primitive values, and this is a HumanName.", error.Message);
    }

    internal static Patient Person(string birthDate = "1961-03-15", DataType? deceased = null) => new()
    {
        Id = "p1",
        Name = [new HumanName { Family = "Testesen", Given = ["Kari"] }],
        Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, "+47 99887766")],
        Gender = AdministrativeGender.Female,
        BirthDate = birthDate,
        Deceased = deceased,
    };

    private static string Hash(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Keys.CryptoHashKey!), Encoding.UTF8.GetBytes(value)));

    private static string Decrypt(string ciphertext)
    {
        var bytes = Convert.FromBase64String(ciphertext);
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(Keys.EncryptKey!);
        return Encoding.UTF8.GetString(aes.DecryptCbc(bytes.AsSpan(16), bytes.AsSpan(0, 16)));
    }
}
