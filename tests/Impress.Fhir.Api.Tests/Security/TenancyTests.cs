using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>Each hospital sees only its own patients; another's are not there, and cannot be written into.</summary>
public sealed class TenancyTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    [Fact]
    public async Task Another_hospitals_patient_is_404_exactly_as_one_that_does_not_exist()
    {
        using var b = server.As(Organizations.HospitalB);

        using var hidden = await b.GetAsync(server.PatientA);
        var missingId = Guid.NewGuid().ToString("D");
        using var missing = await b.GetAsync("Patient/" + missingId);

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(missing.StatusCode, hidden.StatusCode);
        var (hiddenOutcome, missingOutcome) = (Outcome(await hidden.Content.ReadAsStringAsync()), Outcome(await missing.Content.ReadAsStringAsync()));
        Assert.Equal(missingOutcome.Issue[0].Code, hiddenOutcome.Issue[0].Code);
        Assert.Equal(
            missingOutcome.Issue[0].Details?.Text?.Replace(missingId, "{id}", StringComparison.Ordinal),
            hiddenOutcome.Issue[0].Details?.Text?.Replace(server.PatientA.Split('/')[1], "{id}", StringComparison.Ordinal));
        foreach (var path in new[] { server.ReportA, server.PatientA + "/_history", server.PatientA + "/_history/1", server.ReportA + "/_history/1" })
        {
            using var response = await b.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var client = server.FhirAs(Organizations.HospitalB);
        var notFound = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>(server.PatientA));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
    }

    [Fact]
    public async Task Searches_and_includes_never_return_another_hospitals_resources()
    {
        var b = server.FhirAs(Organizations.HospitalB);

        var byIdentifier = await b.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{SyntheticIdentities.NationalId(1)}"]);
        var reports = await b.SearchAsync<DiagnosticReport>([]);
        var observationsOfA = await b.SearchAsync<Observation>(["subject=" + server.PatientA]);
        var included = await b.SearchAsync<DiagnosticReport>(["_include=DiagnosticReport:subject"]);
        var revIncluded = await b.SearchAsync<Patient>(["_revinclude=Observation:subject"]);
        var carePlans = await b.SearchAsync<CarePlan>([]);

        Assert.Empty(byIdentifier!.Entry);
        Assert.Equal([server.ReportB], References(reports!));
        Assert.Empty(observationsOfA!.Entry);
        Assert.Equal([server.ReportB, server.PatientB], References(included!));
        Assert.Equal(server.PatientB, Assert.Single(revIncluded!.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Resource!.TypeName + "/" + revIncluded.Entry[0].Resource!.Id);
        Assert.All(revIncluded.Entry.Select(e => e.Resource).OfType<Observation>(), o => Assert.Equal(server.PatientB, o.Subject!.Reference));
        Assert.True(revIncluded.Entry.Count > 1);
        Assert.All(carePlans!.Entry.Select(e => (CarePlan)e.Resource!), plan => Assert.Equal(server.PatientB, plan.Subject!.Reference));

        // The same searches by hospital A find A's own, and the Mol-MDT finds both.
        var a = server.FhirAs(Organizations.HospitalA);
        Assert.Equal([server.ReportA], References((await a.SearchAsync<DiagnosticReport>([]))!));
        var mdt = server.FhirAs(Organizations.MolMdt, "system/*.rs");
        Assert.Equal(new[] { server.ReportA, server.ReportB }.Order(), References((await mdt.SearchAsync<DiagnosticReport>([]))!).Order());
        Assert.Equal(2, (await mdt.SearchAsync<Patient>([]))!.Entry.Count);
    }

    [Fact]
    public async Task A_hospital_cannot_write_into_another_hospitals_patient_and_nothing_of_the_attempt_is_stored()
    {
        using var b = server.As(Organizations.HospitalB);
        var mdt = server.FhirAs(Organizations.MolMdt, "system/*.rs");
        var before = await CountsAsync(mdt);

        // A's report as it is (performed by A), the same patient in a report B performed, A's patient overwritten,
        // and an Observation of B's hung on A's patient.
        var asPerformedByB = ExampleReports.OfPatient(1, organizationNumber: Organizations.HospitalB);
        var patientA = (Patient)FhirJsonReader.Default.Read(await server.As(Organizations.HospitalA).GetByteArrayAsync(server.PatientA)).Resource;
        var observation = (Observation)ExampleReports.OfPatient(2).Entry.First(e => e.Resource is Observation).Resource!;
        observation.Subject = new ResourceReference(server.PatientA);
        observation.Id = null;
        observation.Specimen = null;
        observation.HasMember.Clear();
        observation.DerivedFrom.Clear();
        foreach (var (request, expected) in new (Func<Task<HttpResponseMessage>>, string)[]
        {
            (() => b.PostAsync("", SecuredServerFixture.Json(ExampleReports.OfPatient(1))), "performer"),
            (() => b.PostAsync("", SecuredServerFixture.Json(asPerformedByB)), "another organisation"),
            (() => b.PutAsync(server.PatientA, SecuredServerFixture.Json(patientA)), "another organisation"),
            (() => b.PostAsync("Observation", SecuredServerFixture.Json(observation)), "not a patient of organisation"),
        })
        {
            using var response = await request();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, body);
            Assert.Contains(expected, Outcome(body).Issue[0].Details!.Text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CountsAsync(mdt));
    }

    [Fact]
    public async Task The_pipelines_work_for_a_patient_belongs_to_the_patients_hospital()
    {
        var a = server.FhirAs(Organizations.HospitalA, "system/*.rs");
        var mdt = server.FhirAs(Organizations.MolMdt, "system/*.rs");

        var plansOfA = await a.SearchAsync<CarePlan>(["subject=" + server.PatientA]);
        var tasksOfA = await a.SearchAsync<Hl7.Fhir.Model.Task>(["patient=" + server.PatientA]);

        Assert.NotEmpty(plansOfA!.Entry);
        Assert.NotEmpty(tasksOfA!.Entry);
        Assert.Equal(
            References((await mdt.SearchAsync<CarePlan>(["subject=" + server.PatientA]))!).Order(),
            References(plansOfA).Order());
    }

    private static OperationOutcome Outcome(string json) => (OperationOutcome)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(json)).Resource;

    private static List<string> References(Bundle bundle) => [.. bundle.Entry.Select(e => $"{e.Resource!.TypeName}/{e.Resource.Id}")];

    private static async Task<string> CountsAsync(FhirClient client)
    {
        var counts = new List<string>();
        foreach (var type in new[] { "Patient", "DiagnosticReport", "Observation", "Specimen", "Condition", "MolecularSequence", "Organization" })
        {
            var page = await client.SearchAsync(type, pageSize: 1000);
            counts.Add($"{type}={page!.Entry.Count}");
        }

        return string.Join(", ", counts);
    }
}
