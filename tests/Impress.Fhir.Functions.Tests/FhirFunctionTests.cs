using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Storage.Azure;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Functions.Tests;

/// <summary>The requests of the README (post a report, search it back, a broken one refused) against the function classes.</summary>
public sealed class FhirFunctionTests(FunctionsFixture functions) : IClassFixture<FunctionsFixture>
{
    [Fact]
    public async Task The_example_report_is_stored_and_searched_back()
    {
        var posted = await functions.SendAsync("POST", "", File.ReadAllText(RepositoryPaths.ExampleReportBundle));

        Assert.Equal(200, posted.Status);
        var response = (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(posted.Body)).Resource;
        Assert.Equal(Bundle.BundleType.TransactionResponse, response.Type);
        var reportLocation = response.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("DiagnosticReport/", StringComparison.Ordinal));

        var example = (Bundle)FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource;
        var identifier = example.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single().Identifier[0];
        var found = await functions.SendAsync("GET", $"DiagnosticReport?identifier={Uri.EscapeDataString(identifier.System + "|" + identifier.Value)}");

        Assert.Equal(200, found.Status);
        var searchset = (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(found.Body)).Resource;
        var report = Assert.Single(searchset.Entry).Resource as DiagnosticReport;
        Assert.Equal(reportLocation.Split("/_history")[0], "DiagnosticReport/" + report!.Id);
        Assert.Equal("https://impress-func.azurewebsites.net/fhir/DiagnosticReport/" + report.Id, searchset.Entry[0].FullUrl);

        var observations = await functions.SendAsync("GET", $"Observation?subject={report.Subject!.Reference}&_count=100");
        Assert.Equal(report.Result.Count, ((Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(observations.Body)).Resource).Entry.Count);
    }

    [Fact]
    public async Task A_broken_report_is_refused_whole_with_an_outcome_naming_the_element()
    {
        var broken = SyntheticReports.Create(2, patient: 4242);
        var p = broken.Entry.FindIndex(e => e.Resource is Patient);
        var patient = (Patient)broken.Entry[p].Resource!;
        var nationalId = patient.Identifier[0].Value!;
        patient.Identifier[0].Value = nationalId[..10] + (char)('0' + ((nationalId[10] - '0' + 1) % 10));

        var refused = await functions.SendAsync("POST", "", FhirJson.Serialize(broken));

        Assert.Equal(422, refused.Status);
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(refused.Body)).Resource;
        Assert.Contains(outcome.Issue, i => i.Expression.Contains($"Bundle.entry[{p}].resource.identifier[0].value"));
        var search = await functions.SendAsync("GET", $"Patient?identifier={Uri.EscapeDataString(NorwegianIdentifierSystems.NationalIdentityNumber + "|" + patient.Identifier[0].Value)}");
        Assert.Empty(((Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(search.Body)).Resource).Entry);
    }

    [Theory]
    [InlineData("POST", "", "{\"resourceType\":", "application/fhir+json", 400)]
    [InlineData("POST", "", "<Bundle xmlns=\"http://hl7.org/fhir\"/>", "application/fhir+xml", 415)]
    [InlineData("GET", "Spaceship/1", null, "application/fhir+json", 404)]
    [InlineData("GET", "Patient/does-not-exist", null, "application/fhir+json", 404)]
    public async Task Bad_requests_get_a_4xx_outcome(string method, string path, string? body, string contentType, int expected)
    {
        var response = await functions.SendAsync(method, path, body, contentType);

        Assert.Equal(expected, response.Status);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", response.Body);
    }

    [Fact]
    public async Task A_TSO500_file_is_imported_and_stored_through_the_function()
    {
        var parameters = new Parameters();
        parameters.Add("rna", new Attachment { ContentType = "text/tab-separated-values", Data = Tso500Fixtures.Bytes(Tso500Fixtures.LocalAppRna) });
        parameters.Add("patientIdentifier", new FhirString(SyntheticIdentities.NationalId(4343)));
        parameters.Add("specimen", new FhirString("F-4343"));
        parameters.Add("diagnosis", new FhirString("C34.1"));
        parameters.Add("hospital", new FhirString("993467049"));
        parameters.Add("store", new FhirBoolean(true));

        var imported = await functions.SendAsync("POST", "$import-tso500", FhirJson.Serialize(parameters));

        Assert.Equal(200, imported.Status);
        var output = (Parameters)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(imported.Body)).Resource;
        var response = (Bundle)output.Parameter.Single(p => p.Name == "response").Resource!;
        var reportLocation = response.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        var report = await functions.SendAsync("GET", reportLocation.Split("/_history")[0]);
        Assert.Equal(200, report.Status);
        Assert.Contains("TSO500-INP-T-0001", report.Body);
    }

    [Fact]
    public async Task Metadata_lists_the_impress_profiles()
    {
        var metadata = await functions.SendAsync("GET", "metadata");

        Assert.Equal(200, metadata.Status);
        Assert.Contains("http://impress-norway.no/fhir/StructureDefinition/impress-genomic-report", metadata.Body);
    }

    [Fact]
    public async Task The_timer_function_removes_what_a_dead_writer_left()
    {
        var store = functions.Services.GetRequiredService<AzureFhirStore>();
        using var death = new CancellationTokenSource();
        store.OnCommitStep = (step, commit) => step == "rows" && commit.Writes.Any(w => w.Version.Id == "dead") ? Task.Delay(Timeout.Infinite, death.Token) : Task.CompletedTask;
        var key = "Patient|urn:test|dead-writer";
        _ = store.CommitAsync(new StoreCommit(
            [new ResourceWrite(new ResourceVersion("Patient", "dead", 1, DateTimeOffset.UtcNow, false, "{}"u8.ToArray()), 0, [])],
            [new UniqueClaim(key, "Patient", "dead")]));
        await Task.Delay(TimeSpan.FromSeconds(2));
        store.OnCommitStep = null;

        await functions.Sweep.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        await store.CommitAsync(new StoreCommit(
            [new ResourceWrite(new ResourceVersion("Patient", "alive", 1, DateTimeOffset.UtcNow, false, "{}"u8.ToArray()), 0, [])],
            [new UniqueClaim(key, "Patient", "alive")]));
        Assert.Null(await store.ReadAsync("Patient", "dead"));
        Assert.Equal("alive", (await store.FindClaimAsync(key))!.Id);
        death.Cancel();
    }
}
