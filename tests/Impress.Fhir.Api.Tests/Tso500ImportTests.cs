using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary><c>POST [base]/$import-tso500</c> as a lab system calls it: the SDK's FhirClient with a Parameters resource.</summary>
public sealed class Tso500ImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static Parameters Request(string patient, string specimen, string? dna = null, string? rna = null, bool? store = null)
    {
        var parameters = new Parameters();
        if (dna is not null)
        {
            parameters.Add("dna", new Attachment { ContentType = "text/tab-separated-values", Data = Tso500Fixtures.Bytes(dna) });
        }

        if (rna is not null)
        {
            parameters.Add("rna", new Attachment { ContentType = "text/tab-separated-values", Data = Tso500Fixtures.Bytes(rna) });
        }

        parameters.Add("patientIdentifier", new FhirString(patient));
        parameters.Add("specimen", new FhirString(specimen));
        parameters.Add("diagnosis", new FhirString("C34.1"));
        parameters.Add("hospital", new FhirString("993467049"));
        if (store is { } flag)
        {
            parameters.Add("store", new FhirBoolean(flag));
        }

        return parameters;
    }

    private static T Output<T>(Resource result, string name) where T : Resource =>
        (T)((Parameters)result).Parameter.Single(p => p.Name == name).Resource!;

    [Fact]
    public async Task Returns_the_report_bundle_and_its_account_without_storing_it()
    {
        var client = server.Client();
        var patient = SyntheticIdentities.NationalId(501);

        var result = await client.WholeSystemOperationAsync("import-tso500", Request(patient, "S-501", dna: Tso500Fixtures.DragenDna));

        var bundle = Output<Bundle>(result!, "bundle");
        Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
        Assert.Equal(9, bundle.Entry.Count(e => e.Resource is Observation));
        var summary = Output<OperationOutcome>(result!, "summary");
        Assert.Contains(summary.Issue, i => i.Details!.Text == "[Copy Number Variants] 3 rows: 3 imported");
        Assert.Contains(summary.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Warning && i.Details!.Text!.Contains("[Loss of Heterozygosity]", StringComparison.Ordinal));
        var stored = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{patient}"]);
        Assert.Empty(stored!.Entry);
    }

    [Fact]
    public async Task With_store_the_report_is_stored_once_and_a_resend_is_a_replay()
    {
        var client = server.Client();
        var patient = SyntheticIdentities.NationalId(502);
        var request = Request(patient, "S-502", dna: Tso500Fixtures.LocalAppDna, rna: Tso500Fixtures.LocalAppRna, store: true);

        var first = await client.WholeSystemOperationAsync("import-tso500", request);
        var again = await client.WholeSystemOperationAsync("import-tso500", request);

        var response = Output<Bundle>(first!, "response");
        Assert.Equal(Bundle.BundleType.TransactionResponse, response.Type);
        Assert.Equal(response.Entry.Select(e => e.Response!.Location), Output<Bundle>(again!, "response").Entry.Select(e => e.Response!.Location));

        var reports = await client.SearchAsync<DiagnosticReport>([$"identifier={ImpressIdentifierSystems.ReportId("993467049")}|TSO500-INP-T-0001"]);
        var report = (DiagnosticReport)Assert.Single(reports!.Entry).Resource!;
        Assert.Equal(23, report.Result.Count);
        var observations = await client.SearchAsync<Observation>([$"subject={report.Subject!.Reference}"], pageSize: 100);
        Assert.Equal(23, observations!.Entry.Count);
    }

    [Fact]
    public async Task A_second_report_of_the_patient_finds_the_patient_and_hospital_the_first_created()
    {
        var client = server.Client();
        var patient = SyntheticIdentities.NationalId(503);
        var reportId = new FhirString("R-503-2");

        await client.WholeSystemOperationAsync("import-tso500", Request(patient, "S-503-1", dna: Tso500Fixtures.DragenDna, store: true));
        var second = Request(patient, "S-503-2", rna: Tso500Fixtures.NoTemplateControl, store: true);
        second.Add("reportId", reportId);
        await client.WholeSystemOperationAsync("import-tso500", second);

        var patients = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{patient}"]);
        var stored = (Patient)Assert.Single(patients!.Entry).Resource!;
        var reports = await client.SearchAsync<DiagnosticReport>([$"subject=Patient/{stored.Id}"]);
        Assert.Equal(2, reports!.Entry.Count);
        var specimens = await client.SearchAsync<Specimen>([$"subject=Patient/{stored.Id}"]);
        Assert.Equal(2, specimens!.Entry.Count);
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_422_naming_parameter_line_and_section_and_nothing_is_stored()
    {
        var client = server.Client();
        var patient = SyntheticIdentities.NationalId(504);
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppRna).Replace("EML4-ALK\tchr2:42522654", "EML4-ALK\tchr2-42522654", StringComparison.Ordinal);
        var request = Request(patient, "S-504", store: true);
        request.Parameter.Insert(0, new Parameters.ParameterComponent { Name = "rna", Value = new Attachment { Data = System.Text.Encoding.UTF8.GetBytes(text) } });

        var error = await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("import-tso500", request));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Status);
        var issue = Assert.Single(error.Outcome!.Issue);
        Assert.Matches(@"^rna: line \d+ \[Fusions\]: Breakpoint 1 'chr2-42522654' is not chromosome:position", issue.Details!.Text);
        Assert.Equal("Parameters.parameter.where(name = 'rna').valueAttachment.data", Assert.Single(issue.Expression));
        var stored = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{patient}"]);
        Assert.Empty(stored!.Entry);
    }

    [Theory]
    [InlineData("patientIdentifier", "12345678901", "Parameters.parameter.where(name = 'patientIdentifier')", "is not a fødselsnummer or D-number")]
    [InlineData("diagnosis", "lung", "Parameters.parameter.where(name = 'diagnosis')", "which is not an ICD-10 code")]
    [InlineData("hospital", "123", "Parameters.parameter.where(name = 'hospital')", "which is not an organisation number")]
    public async Task A_bad_field_is_refused_with_400_naming_the_parameter(string name, string value, string expression, string problem)
    {
        var request = Request(SyntheticIdentities.NationalId(505), "S-505", dna: Tso500Fixtures.LocalAppDna);
        request.Parameter.Single(p => p.Name == name).Value = new FhirString(value);

        var error = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().WholeSystemOperationAsync("import-tso500", request));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        var issue = Assert.Single(error.Outcome!.Issue);
        Assert.Equal(expression, Assert.Single(issue.Expression));
        Assert.Contains(problem, issue.Details!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678901", issue.Details!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_unknown_parameters_and_attachments_by_url_are_refused_with_400()
    {
        var client = server.Client();
        var none = Request(SyntheticIdentities.NationalId(506), "S-506");
        var unknown = Request(SyntheticIdentities.NationalId(506), "S-506", dna: Tso500Fixtures.LocalAppDna);
        unknown.Add("match", new FhirBoolean(true));
        var byUrl = Request(SyntheticIdentities.NationalId(506), "S-506");
        byUrl.Add("dna", new Attachment { Url = "https://lab.example/cvo.tsv" });

        var errors = new[]
        {
            await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("import-tso500", none)),
            await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("import-tso500", unknown)),
            await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("import-tso500", byUrl)),
        };

        Assert.All(errors, e => Assert.Equal(HttpStatusCode.BadRequest, e.Status));
        Assert.Contains("Give the DNA file", errors[0].Outcome!.Issue[0].Details!.Text, StringComparison.Ordinal);
        Assert.Equal("Parameters.parameter.where(name = 'match')", errors[1].Outcome!.Issue[0].Expression.Single());
        Assert.Contains("points to a url", errors[2].Outcome!.Issue[0].Details!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_capability_statement_lists_the_operation()
    {
        var capabilities = await server.Client().CapabilityStatementAsync();

        var operation = Assert.Single(capabilities!.Rest[0].Operation!, o => o.Name == "import-tso500");
        Assert.Equal("http://impress-norway.no/fhir/OperationDefinition/import-tso500", operation.Definition);
    }
}
