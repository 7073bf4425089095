using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary>Create, conditional create, update with If-Match, read, vread, history and search through FhirClient.</summary>
public sealed class ResourceInteractionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Create_read_update_and_history_follow_the_versioning_rules()
    {
        var client = server.Client();
        var created = await client.CreateAsync(Organization("974633574"));
        Assert.Equal("1", created!.Meta!.VersionId);

        created.Name = "Renamed lab";
        var updated = await client.UpdateAsync(created, versionAware: true);
        Assert.Equal("2", updated!.Meta!.VersionId);

        created.Name = "Stale write";
        var stale = await Assert.ThrowsAsync<FhirOperationException>(() => client.UpdateAsync(created, versionAware: true));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);

        var first = await client.ReadAsync<Organization>($"Organization/{created.Id}/_history/1");
        Assert.Equal("Molecular pathology lab", first!.Name);
        var history = await client.HistoryAsync($"Organization/{created.Id}");
        Assert.Equal(["2", "1"], history!.Entry.Select(e => e.Resource!.Meta!.VersionId));
    }

    [Fact]
    public async Task Reads_of_what_does_not_exist_answer_404_with_an_outcome()
    {
        var client = server.Client();

        var missing = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>("Patient/does-not-exist"));
        var missingVersion = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>("Patient/does-not-exist/_history/3"));

        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("Patient/does-not-exist", missing.Outcome!.Issue[0].Details!.Text);
        Assert.Equal(HttpStatusCode.NotFound, missingVersion.Status);
    }

    [Fact]
    public async Task Conditional_creates_racing_for_one_identifier_store_one_resource()
    {
        var organization = Organization("983974724");
        var json = FhirJson.Serialize(organization);

        var creates = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "Organization") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json") };
            request.Headers.Add("If-None-Exist", $"identifier={NorwegianIdentifierSystems.OrganizationNumber}|983974724");
            using var response = await server.Http.SendAsync(request);
            return (response.StatusCode, response.Headers.ETag?.Tag);
        }));
        var results = await Task.WhenAll(creates);

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(results, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var found = await server.Client().SearchAsync<Organization>([$"identifier={NorwegianIdentifierSystems.OrganizationNumber}|983974724"]);
        Assert.Single(found!.Entry);
    }

    [Fact]
    public async Task Created_resources_carry_location_etag_and_last_modified_and_honour_prefer()
    {
        var json = FhirJson.Serialize(Organization("971524960"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "Organization") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json") };
        request.Headers.Add("Prefer", "return=minimal");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/fhir/Organization/[0-9a-f-]{36}/_history/1$", response.Headers.Location!.ToString());
        Assert.Equal("W/\"1\"", response.Headers.ETag!.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Empty(await response.Content.ReadAsStringAsync());

        using var again = new HttpRequestMessage(HttpMethod.Post, "Organization") { Content = new StringContent(FhirJson.Serialize(Organization("974589095")), System.Text.Encoding.UTF8, "application/fhir+json") };
        again.Headers.Add("Prefer", "return=OperationOutcome");
        using var outcome = await server.Http.SendAsync(again);
        Assert.Contains("\"resourceType\":\"OperationOutcome\"", await outcome.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_pages_with_next_links_and_filters_by_code_id_and_last_updated()
    {
        var client = server.Client();
        var response = await client.TransactionAsync(SyntheticReports.Create(12, patient: 505));
        var patient = response!.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];

        var seen = new List<string>();
        var page = await client.SearchAsync<Observation>([$"subject={patient}", $"code={Codes.Loinc}|{Codes.Variant}"], pageSize: 5);
        var pages = 0;
        while (page is not null)
        {
            pages++;
            seen.AddRange(page.Entry.Select(e => e.Resource!.Id!));
            page = await client.ContinueAsync(page);
        }

        Assert.Equal(3, pages);
        Assert.Equal(12, seen.Distinct().Count());

        var one = await client.SearchAsync<Observation>([$"_id={seen[0]}"]);
        Assert.Equal(seen[0], Assert.Single(one!.Entry).Resource!.Id);
        var future = await client.SearchAsync<Observation>([$"subject={patient}", "_lastUpdated=gt2100-01-01"]);
        Assert.Empty(future!.Entry);
        var today = await client.SearchAsync<Observation>([$"subject={patient}", $"_lastUpdated=ge{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}"], pageSize: 100);
        Assert.Equal(14, today!.Entry.Count);
    }

    [Fact]
    public async Task Unknown_search_parameters_are_reported_and_refused_when_strict()
    {
        using var lenient = await server.Http.GetAsync("Patient?colour=blue");
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        Assert.Contains("colour", await lenient.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, "Patient?colour=blue");
        request.Headers.Add("Prefer", "handling=strict");
        using var strict = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
    }

    [Fact]
    public async Task Validate_operation_reports_without_storing()
    {
        var bundle = SyntheticReports.Create(1, patient: 606);
        bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Identifier[0].Value = "15836148238";
        var json = FhirJson.Serialize(bundle);

        using var system = await server.Http.PostAsync("$validate", new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json"));
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(await system.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Equal(HttpStatusCode.OK, system.StatusCode);
        Assert.Contains(outcome.Issue, i => i.Details!.Coding.Any(c => c.Code == "fnr-check-digits"));

        var patient = FhirJson.Serialize(bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single());
        using var typed = await server.Http.PostAsync("Patient/$validate", new StringContent(patient, System.Text.Encoding.UTF8, "application/fhir+json"));
        Assert.Contains("fnr-check-digits", await typed.Content.ReadAsStringAsync());
        var stored = await server.Client().SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|15836148238"]);
        Assert.Empty(stored!.Entry);
    }

    [Fact]
    public async Task The_capability_statement_lists_profiles_search_parameters_and_operations()
    {
        var capabilities = await server.Client().CapabilityStatementAsync();

        var rest = Assert.Single(capabilities!.Rest);
        var patient = rest.Resource.Single(r => r.Type == "Patient");
        Assert.Contains("http://impress-norway.no/fhir/StructureDefinition/impress-patient", patient.SupportedProfile);
        Assert.Contains(patient.SearchParam, p => p.Name == "identifier");
        var observation = rest.Resource.Single(r => r.Type == "Observation");
        Assert.Contains("http://impress-norway.no/fhir/StructureDefinition/impress-variant", observation.SupportedProfile);
        Assert.Contains(observation.SearchParam, p => p.Name == "code");
        Assert.Contains(rest.Interaction, i => i.Code == CapabilityStatement.SystemRestfulInteraction.Transaction);
        Assert.Contains(rest.Operation, o => o.Name == "validate");
    }

    private static Organization Organization(string number) => new()
    {
        Identifier = [new Identifier(NorwegianIdentifierSystems.OrganizationNumber, number)],
        Name = "Molecular pathology lab",
    };
}
