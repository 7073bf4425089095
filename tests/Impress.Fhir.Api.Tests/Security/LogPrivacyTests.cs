using System.Net;
using System.Net.Http.Headers;
using Impress.Fhir.Api.Tests.Export;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>
/// The server's logs carry request ids and outcomes, never names, national ids or resource bodies: a whole run of
/// identifiable reports through every kind of request, good and bad, is scanned for the patients' details.
/// </summary>
public sealed class LogPrivacyTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    [Fact]
    public async Task Nothing_that_identifies_a_patient_reaches_the_logs()
    {
        var people = Enumerable.Range(300, 4).Select(IdentifiableReports.Person).ToList();
        using var a = server.As(Organizations.HospitalA);
        using var b = server.As(Organizations.HospitalB);
        var statuses = new List<HttpStatusCode>();

        async Task Send(Func<Task<HttpResponseMessage>> request)
        {
            using var response = await request();
            statuses.Add(response.StatusCode);
        }

        foreach (var (n, person) in people.Select((p, i) => (300 + i, p)))
        {
            var hospital = n % 2 == 0 ? a : b;
            var organization = n % 2 == 0 ? null : Organizations.HospitalB;
            var bundle = IdentifiableReports.OfPatient(n, organizationNumber: organization);
            await Send(() => hospital.PostAsync("", SecuredServerFixture.Json(bundle)));
            await Send(() => hospital.PostAsync("", SecuredServerFixture.Json(bundle))); // the replay
            await Send(() => hospital.GetAsync($"Patient?identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{person.NationalId}"));
            await Send(() => hospital.GetAsync($"Patient?name={person.Family}&strict=true"));
            await Send(() => hospital.GetAsync($"Patient/{person.NationalId}"));
            await Send(() => (hospital == a ? b : a).PostAsync("", SecuredServerFixture.Json(bundle))); // into another's patient

            // A broken report: the national id's check digits are wrong, the name is in the message's neighbourhood.
            var broken = IdentifiableReports.OfPatient(n, organizationNumber: organization);
            var patient = broken.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().Single();
            patient.Identifier[0].Value = person.NationalId[..^1] + (person.NationalId[^1] == '0' ? '1' : '0');
            await Send(() => hospital.PostAsync("", SecuredServerFixture.Json(broken)));
            await Send(() => hospital.PostAsync("", new StringContent($"{{\"resourceType\":\"Patient\",\"name\":[{{\"family\":\"{person.Family}\"", System.Text.Encoding.UTF8, "application/fhir+json")));
        }

        using var registry = server.As(Organizations.Registry);
        var bulk = new BulkExportClient(registry);
        var manifest = await bulk.WaitAsync(await bulk.StartAsync("$export?_type=Patient,DiagnosticReport,Observation"));
        await bulk.DownloadAsync(manifest);
        using (var anonymous = new HttpClient { BaseAddress = server.BaseUrl })
        {
            anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Issuer.Token("x", Organizations.HospitalA, "system/*.rs", lifetime: TimeSpan.FromMinutes(-5)));
            await Send(() => anonymous.GetAsync($"Patient?identifier={people[0].NationalId}"));
        }

        await server.PipelineIdleAsync();

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.Forbidden, statuses);
        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Contains(statuses, s => (int)s is 400 or 422);
        Assert.NotEmpty(server.Logs.Lines);
        var secrets = people.SelectMany(p => new[] { p.Given, p.Family, p.NationalId, p.NationalId[..6] + " " + p.NationalId[6..], p.Street, p.Phone })
            .Append(SyntheticIdentities.NationalId(1)).Append(SyntheticIdentities.NationalId(2)).Append("Testesen");
        var leaks = server.Logs.Containing(secrets);
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks.Take(5)));
    }
}
