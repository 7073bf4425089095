using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary>What an EHR does: post a genomics report transaction with the SDK's FhirClient, then find it again.</summary>
/// <typeparam name="TServer">The server: <c>impress serve</c> on the embedded store, or on Azure Storage (Azurite).</typeparam>
public abstract class ReportIngestionTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFixture
{
    [Fact]
    public async Task The_example_report_is_stored_whole_and_found_again()
    {
        var client = server.Client();
        var bundle = ExampleReport();

        var response = await client.TransactionAsync(bundle);

        Assert.NotNull(response);
        Assert.Equal(Bundle.BundleType.TransactionResponse, response.Type);
        Assert.Equal(bundle.Entry.Count, response.Entry.Count);
        // The lab is created once (a conditional create) and found by every later report.
        Assert.All(response.Entry.Zip(bundle.Entry), e => Assert.StartsWith(e.Second.Resource is Organization ? "20" : "201", e.First.Response!.Status));

        var reportLocation = response.Entry[bundle.Entry.FindIndex(e => e.Resource is DiagnosticReport)].Response!.Location!;
        var report = await client.ReadAsync<DiagnosticReport>(reportLocation);
        Assert.NotNull(report);
        Assert.Equal("1", report.Meta!.VersionId);
        Assert.StartsWith("Patient/", report.Subject!.Reference);
        Assert.All(report.Result, r => Assert.StartsWith("Observation/", r.Reference));

        var identifier = report.Identifier[0];
        var found = await client.SearchAsync<DiagnosticReport>([$"identifier={identifier.System}|{identifier.Value}"]);
        Assert.Equal(report.Id, Assert.Single(found!.Entry).Resource!.Id);

        var results = await client.SearchAsync<Observation>([$"subject={report.Subject.Reference}"], pageSize: 100);
        Assert.Equal(report.Result.Count, results!.Entry.Count);

        var patient = await client.ReadAsync<Patient>(report.Subject.Reference!);
        Assert.Equal(NorwegianIdentifierSystems.NationalIdentityNumber, patient!.Identifier[0].System);
    }

    [Fact]
    public async Task Posting_the_same_report_again_stores_nothing_new_and_answers_as_the_first_time()
    {
        var client = server.Client();
        var bundle = SyntheticReports.Create(3, patient: 101);

        var first = await client.TransactionAsync(bundle);
        var second = await client.TransactionAsync(bundle);

        Assert.Equal(first!.Entry.Select(e => e.Response!.Location), second!.Entry.Select(e => e.Response!.Location));
        var patient = first.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal));
        var observations = await client.SearchAsync<Observation>([$"subject={patient.Split("/_history")[0]}"], pageSize: 100);
        Assert.Equal(5, observations!.Entry.Count);
    }

    [Fact]
    public async Task The_transaction_response_carries_each_created_resource_as_a_read_returns_it()
    {
        var client = server.Client();

        var response = await client.TransactionAsync(SyntheticReports.Create(5, patient: 105));

        // Everything but the lab, which an earlier report may have created (a conditional create).
        var created = response!.Entry.Where(e => e.Response!.Status!.StartsWith("201", StringComparison.Ordinal)).ToList();
        Assert.True(created.Count >= response.Entry.Count - 1, $"{created.Count} of {response.Entry.Count} entries created");
        foreach (var entry in created)
        {
            Assert.NotNull(entry.Resource);
            var read = await client.ReadAsync<Resource>(entry.Response!.Location!);
            Assert.Equal(FhirJson.Serialize(read!), FhirJson.Serialize(entry.Resource));
        }
    }

    [Fact]
    public async Task A_report_with_a_read_among_its_entries_answers_each_entry_with_its_resource()
    {
        var bundle = SyntheticReports.Create(3, patient: 106);
        bundle.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = "Patient?_count=1" } });
        var body = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle));

        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/fhir+json");
        using var response = await server.Http.PostAsync("", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (Bundle)FhirJsonReader.Default.Read(await response.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Equal(bundle.Entry.Count, answer.Entry.Count);
        Assert.All(answer.Entry.SkipLast(1).Where(e => e.Response!.Status!.StartsWith("201", StringComparison.Ordinal)), e => Assert.NotNull(e.Resource));
        Assert.True(answer.Entry.Count(e => e.Response!.Status!.StartsWith("201", StringComparison.Ordinal)) >= bundle.Entry.Count - 2);
        Assert.StartsWith("200", answer.Entry[^1].Response!.Status);
        Assert.IsType<Bundle>(answer.Entry[^1].Resource);
    }

    [Fact]
    public async Task A_report_sent_in_chunks_without_a_length_is_read_whole()
    {
        // 40 variants: larger than the first buffer the server reads into, so the body is read in several pieces.
        var bundle = SyntheticReports.Create(40, patient: 104);
        var body = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle));
        Assert.True(body.Length > 128 * 1024);

        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new PiecewiseContent(body, pieceBytes: 8 * 1024) };
        request.Content.Headers.ContentType = new("application/fhir+json");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(request.Content.Headers.ContentLength);
        var answer = (Bundle)FhirJsonReader.Default.Read(await response.Content.ReadAsByteArrayAsync()).Resource;
        var reportLocation = answer.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        var report = await server.Client().ReadAsync<DiagnosticReport>(reportLocation);
        Assert.Equal(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single().Result.Count, report!.Result.Count);
    }

    [Fact]
    public async Task Racing_posts_of_one_report_store_it_once()
    {
        var bundle = SyntheticReports.Create(2, patient: 202);
        var json = FhirJson.Serialize(bundle);

        var posts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json");
            return (await server.Http.PostAsync("", content)).StatusCode;
        }));
        var statuses = await Task.WhenAll(posts);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var client = server.Client();
        var nationalId = SyntheticIdentities.NationalId(202);
        var patients = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{nationalId}"]);
        var patient = Assert.Single(patients!.Entry);
        var reports = await client.SearchAsync<DiagnosticReport>([$"subject=Patient/{patient.Resource!.Id}"]);
        Assert.Single(reports!.Entry);
        var observations = await client.SearchAsync<Observation>([$"subject=Patient/{patient.Resource!.Id}"], pageSize: 100);
        Assert.Equal(4, observations!.Entry.Count);
    }

    [Fact]
    public async Task A_report_resent_with_other_content_is_refused_with_409()
    {
        var client = server.Client();
        var bundle = SyntheticReports.Create(1, patient: 303);
        await client.TransactionAsync(bundle);

        var changed = SyntheticReports.Create(2, patient: 303);
        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => client.TransactionAsync(changed));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("already stored", refused.Outcome!.Issue[0].Details!.Text);
    }

    [Fact]
    public async Task An_invalid_report_is_refused_whole_with_the_element_named_and_nothing_is_stored()
    {
        var client = server.Client();
        var bundle = SyntheticReports.Create(1, patient: 404);
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Identifier[0].Value = "15836148238";

        var refused = await Assert.ThrowsAsync<FhirOperationException>(() => client.TransactionAsync(bundle));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        var issue = Assert.Single(refused.Outcome!.Issue, i => i.Details!.Coding.Any(c => c.Code == "fnr-check-digits"));
        Assert.StartsWith("Bundle.entry[1].resource.identifier", issue.Expression.Single());
        var stored = await client.SearchAsync<DiagnosticReport>([$"identifier={bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single().Identifier[0].Value}"]);
        Assert.Empty(stored!.Entry);
    }

    private static Bundle ExampleReport() =>
        (Bundle)FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource;
}

/// <summary>On the embedded SQLite store.</summary>
public sealed class SqliteReportIngestionTests(ServerFixture server) : ReportIngestionTests<ServerFixture>(server);

/// <summary>On Azure Storage: blobs and tables in Azurite.</summary>
public sealed class AzureReportIngestionTests(AzureServerFixture server) : ReportIngestionTests<AzureServerFixture>(server);

/// <summary>A body written in pieces, without a Content-Length (so sent in chunks).</summary>
internal sealed class PiecewiseContent(byte[] bytes, int pieceBytes) : HttpContent
{
    protected override async System.Threading.Tasks.Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < bytes.Length; offset += pieceBytes)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(pieceBytes, bytes.Length - offset)));
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
