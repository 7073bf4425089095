using System.Net;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Tests.Export;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>Every access leaves an AuditEvent: who, what (resource and patient, not content), when and how it went.</summary>
public sealed class AuditTrailTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    [Fact]
    public async Task Each_request_of_a_client_leaves_one_audit_event_naming_the_client_the_resource_and_the_patient()
    {
        const string Client = "audit-trail-client";
        using var a = server.As(Organizations.HospitalA, "system/*.cruds", Client);
        var observation = ((Bundle)FhirJsonReader.Default.Read(await a.GetByteArrayAsync($"Observation?subject={server.PatientA}&_count=1")).Resource).Entry[0].Resource!;
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[]
        {
            server.PatientA,
            "Observation/" + observation.Id,
            $"Patient?identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{SyntheticIdentities.NationalId(1)}",
            server.PatientB,
            "AuditEvent",
        })
        {
            using var response = await a.GetAsync(path);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden], statuses);
        var events = await AuditAsync($"altid={Client}");
        Assert.Equal(6, events.Count); // the five, and the search for the Observation before them
        Assert.All(events, e =>
        {
            Assert.Equal(Organizations.HospitalA, e.Agent[0].Who?.Identifier?.Value);
            Assert.True(e.Agent[0].Requestor);
            Assert.Equal("Impress.Fhir", e.Source.Observer?.Display);
            Assert.Equal("rest", e.Type.Code);
        });

        var mine = events.Where(e => e.Recorded >= started).ToList();
        var patientRead = Assert.Single(mine, e => e.Subtype[0].Code == "read" && e.Entity.Count == 1 && e.Entity[0].What?.Reference == server.PatientA);
        Assert.Equal(AuditEvent.AuditEventAction.R, patientRead.Action);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, patientRead.Outcome);
        Assert.Equal("1", patientRead.Entity.Single(x => x.What?.Reference == server.PatientA).Role?.Code); // the patient role
        var observationRead = Assert.Single(mine, e => e.Entity.Any(x => x.What?.Reference == "Observation/" + observation.Id));
        Assert.Contains(observationRead.Entity, x => x.What?.Reference == server.PatientA && x.Role?.Code == "1");
        var search = Assert.Single(mine, e => e.Subtype[0].Code == "search-type" && e.Entity.Any(x => x.Description == "Patient"));
        Assert.Contains("identifier=", Encoding.UTF8.GetString(search.Entity.Single(x => x.Role?.Code == "24").Query!), StringComparison.Ordinal);
        Assert.Contains(search.Entity, x => x.What?.Reference == server.PatientA);
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, Assert.Single(mine, e => e.Entity.Any(x => x.What?.Reference == server.PatientB)).Outcome);

        // The trail names resources, never their content: the patient's name appears nowhere in it.
        Assert.All(events, e => Assert.DoesNotContain("Testesen", FhirJson.Serialize(e), StringComparison.Ordinal));

        // The Mol-MDT finds what was done to a patient.
        Assert.Contains(await AuditAsync($"patient={server.PatientA}&altid={Client}"), e => e.Id == patientRead.Id);
    }

    [Fact]
    public async Task The_registry_exports_de_identified_data_only_and_nobody_else_reads_its_export()
    {
        using var registry = server.As(Organizations.Registry, "system/*.rs", "registry-client");
        var bulk = new BulkExportClient(registry);

        using var read = await registry.GetAsync(server.PatientA);
        using var search = await registry.GetAsync("Observation");
        var status = await bulk.StartAsync("$export?_type=Patient,Observation");
        var manifest = await bulk.WaitAsync(status);
        var lines = await bulk.DownloadAsync(manifest);

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        Assert.Equal("registry", manifest.GetProperty("extension").GetProperty("anonymizationConfig").GetString());
        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var patients = lines.Where(l => l.Type == "Patient").Select(l => JsonDocument.Parse(l.Line).RootElement).ToList();
        Assert.True(patients.Count >= 2);
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(SyntheticIdentities.NationalId(1), l.Line, StringComparison.Ordinal);
            Assert.DoesNotContain(SyntheticIdentities.NationalId(2), l.Line, StringComparison.Ordinal);
            Assert.DoesNotContain("Testesen", l.Line, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(patients, p => "Patient/" + p.GetProperty("id").GetString() == server.PatientA);

        // The status URL and the files are the registry's: another client finds nothing there, no token gets 401.
        using var mdt = server.As(Organizations.MolMdt, "system/*.rs", "another-client");
        using var byOther = await mdt.GetAsync(status);
        using var fileByOther = await mdt.GetAsync(manifest.GetProperty("output")[0].GetProperty("url").GetString());
        using var anonymous = new HttpClient();
        using var byNobody = await anonymous.GetAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fileByOther.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);

        var exports = await AuditAsync("altid=registry-client");
        Assert.Contains(exports, e => e.Type.Code == "110106" && e.Entity.Any(x => x.Role?.Code == "24"));
        var jobId = status.Segments[^1];
        Assert.Contains(exports, e => e.Entity.Any(x => x.What?.Identifier is { System: "urn:impress:export-job" } job && job.Value == jobId));
    }

    private async Task<List<AuditEvent>> AuditAsync(string query)
    {
        using var mdt = server.As(Organizations.MolMdt, "system/AuditEvent.rs", "auditor");
        var bundle = (Bundle)FhirJsonReader.Default.Read(await mdt.GetByteArrayAsync($"AuditEvent?{query}&_count=1000")).Resource;
        return [.. bundle.Entry.Select(e => e.Resource).OfType<AuditEvent>()];
    }
}
