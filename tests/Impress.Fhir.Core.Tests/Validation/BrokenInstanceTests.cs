using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests.Validation;

/// <summary>One broken instance per rule: each must yield the expected issue at the expected FHIRPath.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class BrokenInstanceTests(ValidatorFixture fixture)
{
    private readonly ImpressValidator _validator = fixture.Validator;

    [Fact]
    public void Wrong_fodselsnummer_check_digits()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(r => r is Patient);
        var identifier = bundle.Resource<Patient>(p).Identifier[0];
        var value = identifier.Value!;
        identifier.Value = value[..10] + (char)('0' + ((value[10] - '0' + 1) % 10));

        var result = _validator.Validate(bundle);

        Assert.False(result.IsValid);
        var issue = result.AssertIssue("fnr-check-digits", $"Bundle.entry[{p}].resource.identifier[0].value");
        Assert.Contains("check digits", issue.Message);
        Assert.DoesNotContain(identifier.Value, issue.Message);
        Assert.Equal(p, issue.EntryIndex);
        Assert.Equal(bundle.Entry[p].FullUrl, issue.EntryFullUrl);
    }

    [Theory]
    [InlineData("3201", "birth date")]
    [InlineData("0113", "birth date")]
    public void Fodselsnummer_with_impossible_date(string ddmm, string expected)
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(r => r is Patient);
        bundle.Resource<Patient>(p).Identifier[0].Value = TestData.ValidNumber(ddmm + "80");

        var issue = _validator.Validate(bundle).AssertIssue("fnr-check-digits", $"Bundle.entry[{p}].resource.identifier[0].value");

        Assert.Contains(expected, issue.Message);
    }

    [Fact]
    public void D_number_under_the_fodselsnummer_system()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(r => r is Patient);
        var identifier = bundle.Resource<Patient>(p).Identifier[0];
        Assert.Equal(NorwegianIdentifierSystems.NationalIdentityNumber, identifier.System);
        identifier.Value = TestData.ValidNumber("410180");

        var issue = _validator.Validate(bundle).AssertIssue("fnr-check-digits", $"Bundle.entry[{p}].resource.identifier[0].value");

        Assert.Contains("D-number", issue.Message);
    }

    [Fact]
    public void Patient_without_a_national_identifier_fails_the_patient_profile()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(r => r is Patient);
        var patient = bundle.Resource<Patient>(p);
        patient.Identifier.Clear();
        patient.Identifier.Add(new Identifier("urn:oid:2.16.578.1.12.4.1.4.3", "12345"));

        var result = _validator.Validate(bundle);

        Assert.False(result.IsValid);
        var issue = result.Issues.Single(i => i.IsError && i.EntryIndex == p);
        Assert.StartsWith($"Bundle.entry[{p}].resource", issue.Expression);
        Assert.Contains("impress-pat-1", issue.Message);
        Assert.Equal(ImpressProfiles.Patient, issue.Profile);
    }

    [Fact]
    public void Patient_without_meta_profile_is_still_held_to_the_impress_patient_profile()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(r => r is Patient);
        var patient = bundle.Resource<Patient>(p);
        patient.Meta = null;
        patient.Identifier.Clear();

        var result = _validator.Validate(bundle);

        var issue = result.Issues.First(i => i.IsError && i.EntryIndex == p);
        Assert.Equal(ImpressProfiles.Patient, issue.Profile);
    }

    [Fact]
    public void Malformed_coding_hgvs()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("BRAF");
        var observation = bundle.Resource<Observation>(v);
        var c = observation.ComponentIndex(Codes.CodingHgvs);
        ((CodeableConcept)observation.Component[c].Value!).Coding[0].Code = "NM_004333.6:c.1799T->A";

        var issue = _validator.Validate(bundle).AssertIssue("hgvs-syntax", $"Bundle.entry[{v}].resource.component[{c}].value");

        Assert.Contains("coding (c.)", issue.Message);
    }

    [Fact]
    public void Protein_change_without_the_p_prefix()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("BRAF");
        var observation = bundle.Resource<Observation>(v);
        var c = observation.ComponentIndex(Codes.ProteinHgvs);
        ((CodeableConcept)observation.Component[c].Value!).Coding[0].Code = "V600E";

        _validator.Validate(bundle).AssertIssue("hgvs-syntax", $"Bundle.entry[{v}].resource.component[{c}].value");
    }

    [Fact]
    public void Gene_outside_the_panel_is_a_warning()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("ERBB2");
        var observation = bundle.Resource<Observation>(v);
        var c = observation.ComponentIndex(Codes.GeneStudied);
        ((CodeableConcept)observation.Component[c].Value!).Coding[0] = new Coding(Codes.Hgnc, "HGNC:0", "TP63X");

        var result = _validator.Validate(bundle);

        var issue = result.AssertIssue("gene-in-panel", $"Bundle.entry[{v}].resource.component[{c}].value", OperationOutcome.IssueSeverity.Warning);
        Assert.Contains("TP63X", issue.Message);
        Assert.DoesNotContain(result.Issues, i => i.RuleId == "gene-in-panel" && i.EntryIndex != v);
    }

    [Theory]
    [InlineData(42.0, "percentage")]
    [InlineData(-0.1, "outside 0..1")]
    public void Allele_frequency_outside_zero_to_one(double frequency, string expected)
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("BRAF");
        var observation = bundle.Resource<Observation>(v);
        var c = observation.ComponentIndex(Codes.AlleleFrequency);
        ((Quantity)observation.Component[c].Value!).Value = (decimal)frequency;

        var issue = _validator.Validate(bundle).AssertIssue("allele-frequency-range", $"Bundle.entry[{v}].resource.component[{c}].value");

        Assert.Contains(expected, issue.Message);
    }

    [Fact]
    public void Reference_to_a_urn_that_is_not_in_the_bundle()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var r = bundle.IndexOf(x => x is DiagnosticReport);
        bundle.Resource<DiagnosticReport>(r).Specimen[0].Reference = "urn:uuid:00000000-0000-0000-0000-000000000000";

        var issue = _validator.Validate(bundle).AssertIssue("bundle-reference-resolves", $"Bundle.entry[{r}].resource.specimen[0]");

        Assert.Contains("does not resolve", issue.Message);
    }

    [Fact]
    public void Relative_reference_outside_a_transaction_is_a_warning_but_in_a_collection_an_error()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var r = bundle.IndexOf(x => x is DiagnosticReport);
        bundle.Resource<DiagnosticReport>(r).Performer[0].Reference = "Organization/stored-lab";

        _validator.Validate(bundle).AssertIssue("bundle-reference-resolves", $"Bundle.entry[{r}].resource.performer[0]", OperationOutcome.IssueSeverity.Warning);

        bundle.Type = Bundle.BundleType.Collection;
        foreach (var entry in bundle.Entry)
        {
            entry.Request = null;
        }

        _validator.Validate(bundle).AssertIssue("bundle-reference-resolves", $"Bundle.entry[{r}].resource.performer[0]");
    }

    [Fact]
    public void Observation_about_another_patient_than_the_report()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var p = bundle.IndexOf(x => x is Patient);
        var other = (Bundle.EntryComponent)bundle.Entry[p].DeepCopy();
        other.FullUrl = "urn:uuid:7d5cbb1a-5a5e-4f43-9b9f-1f7ad4d0ad11";
        ((Patient)other.Resource!).Identifier[0].Value = TestData.ValidNumber("020280");
        other.Request!.IfNoneExist = null;
        bundle.Entry.Add(other);
        var v = bundle.IndexOfVariant("BRAF");
        bundle.Resource<Observation>(v).Subject!.Reference = other.FullUrl;

        var issue = _validator.Validate(bundle).AssertIssue("subject-is-report-patient", $"Bundle.entry[{v}].resource.subject", OperationOutcome.IssueSeverity.Error);

        Assert.Contains("not the patient of the DiagnosticReport", issue.Message);
    }

    [Fact]
    public void Variant_without_its_category_fails_the_variant_profile()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("ERBB2");
        var observation = bundle.Resource<Observation>(v);
        observation.Component.RemoveAt(observation.Component.FindIndex(c => c.Code.Coding.Any(x => x.Code == "variant-category")));

        var result = _validator.Validate(bundle);

        var issue = result.Issues.Single(i => i.IsError && i.EntryIndex == v);
        Assert.StartsWith($"Bundle.entry[{v}].resource", issue.Expression);
        Assert.Contains("variantCategory", issue.Message);
        Assert.Equal(ImpressProfiles.Variant, issue.Profile);
    }

    [Fact]
    public void Genomic_report_with_the_wrong_code_fails_its_pattern()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var r = bundle.IndexOf(x => x is DiagnosticReport);
        bundle.Resource<DiagnosticReport>(r).Code = new CodeableConcept(Codes.Loinc, "11526-1");

        var result = _validator.Validate(bundle);

        Assert.Contains(result.Issues, i => i.IsError && i.Expression == $"Bundle.entry[{r}].resource.code" && i.Profile == ImpressProfiles.GenomicReport);
    }

    [Fact]
    public void Unknown_impress_profile_in_meta()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var s = bundle.IndexOf(x => x is Specimen);
        bundle.Resource<Specimen>(s).Meta!.Profile = [ImpressProfiles.StructureDefinitionBase + "impress-sample"];

        _validator.Validate(bundle).AssertIssue("unknown-profile", $"Bundle.entry[{s}].resource.meta.profile[0]");
    }

    [Fact]
    public void Transaction_entry_without_a_request()
    {
        var bundle = ValidatorFixture.ExampleReport();
        bundle.Entry[2].Request = null;

        _validator.Validate(bundle).AssertIssue("bundle-envelope", "Bundle.entry[2]");
    }

    [Fact]
    public void Unknown_element_is_reported_at_its_path()
    {
        var json = File.ReadAllText(Impress.Fhir.Testing.RepositoryPaths.Examples + "/Patient-impress-example-patient.json")
            .Replace("\"gender\"", "\"sex\": \"female\", \"gender\"");

        var document = FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(json));
        var result = _validator.Validate(document);

        Assert.False(result.IsValid);
        Assert.Contains(result.Issues, i => i.IsError && i.Expression == "Patient.sex" && i.Message.Contains("sex"));
    }

    [Fact]
    public void A_lone_resource_is_reported_from_its_own_root()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var observation = bundle.Resource<Observation>(bundle.IndexOfVariant("BRAF"));
        var c = observation.ComponentIndex(Codes.ProteinHgvs);
        ((CodeableConcept)observation.Component[c].Value!).Coding[0].Code = "p.Val600Glx";

        var issue = _validator.Validate(observation).AssertIssue("hgvs-syntax", $"Observation.component[{c}].value");

        Assert.Null(issue.EntryIndex);
    }
}
