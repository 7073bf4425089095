using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Storage.Sqlite;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>A server whose store refuses AuditEvents while <see cref="AuditStoreFailing"/> is set (a full disk, a lost connection).</summary>
public sealed class AuditFailureServerFixture : ServerFixture
{
    private FailingAuditStore? _store;

    public bool AuditStoreFailing
    {
        set => _store!.Failing = value;
    }

    protected override void ConfigureHost(WebApplicationBuilder builder) =>
        builder.Services.AddImpressStore(sp => _store = new FailingAuditStore(sp.GetRequiredService<SqliteFhirStore>()));

    private sealed class FailingAuditStore(IFhirStore inner) : IFhirStore
    {
        public volatile bool Failing;

        public Task<ResourceVersion?> ReadAsync(string type, string id, CancellationToken cancellationToken = default) => inner.ReadAsync(type, id, cancellationToken);

        public Task<ResourceVersion?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken = default) => inner.ReadVersionAsync(type, id, versionId, cancellationToken);

        public Task<IReadOnlyList<ResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancellationToken = default) => inner.HistoryAsync(type, id, cancellationToken);

        public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);

        public Task<ClaimOwner?> FindClaimAsync(string key, CancellationToken cancellationToken = default) => inner.FindClaimAsync(key, cancellationToken);

        public Task CommitAsync(StoreCommit commit, CancellationToken cancellationToken = default) =>
            Failing && commit.Writes.Any(w => w.Version.Type == "AuditEvent")
                ? throw new IOException("No space left on device.")
                : inner.CommitAsync(commit, cancellationToken);
    }
}

/// <summary>If the audit trail cannot be written, the request fails: no data goes out unrecorded.</summary>
public sealed class AuditFailureTests(AuditFailureServerFixture server) : IClassFixture<AuditFailureServerFixture>
{
    [Fact]
    public async Task A_request_whose_audit_event_cannot_be_written_is_503_without_its_data_and_a_retry_loses_nothing()
    {
        var report = FhirJson.Serialize(ExampleReports.OfPatient(61));
        using var posted = await server.Http.PostAsync("", new StringContent(report, System.Text.Encoding.UTF8, "application/fhir+json"));
        var patient = ((Bundle)FhirJsonReader.Default.Read(await posted.Content.ReadAsByteArrayAsync()).Resource).Entry
            .Select(e => e.Response?.Location).OfType<string>().First(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];

        server.AuditStoreFailing = true;
        using var read = await server.Http.GetAsync(patient);
        using var search = await server.Http.GetAsync("Patient");
        using var again = await server.Http.PostAsync("", new StringContent(report, System.Text.Encoding.UTF8, "application/fhir+json"));
        server.AuditStoreFailing = false;
        using var retried = await server.Http.PostAsync("", new StringContent(report, System.Text.Encoding.UTF8, "application/fhir+json"));
        using var readAfter = await server.Http.GetAsync(patient);

        foreach (var refused in new[] { read, search, again })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            var outcome = (OperationOutcome)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(body)).Resource;
            Assert.Contains("audit trail", outcome.Issue[0].Details!.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(SyntheticIdentities.NationalId(61), body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readAfter.StatusCode);
        var patients = (Bundle)FhirJsonReader.Default.Read(await server.Http.GetByteArrayAsync($"Patient?identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{SyntheticIdentities.NationalId(61)}")).Resource;
        Assert.Single(patients.Entry);
    }
}
