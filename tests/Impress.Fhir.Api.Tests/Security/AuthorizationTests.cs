using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>
/// What each role may do, interaction by interaction, with real signed tokens; what a token's scopes add or take
/// away; and that every one of those requests is in the audit trail.
/// </summary>
public sealed class AuthorizationTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    private static readonly string[] Roles = ["hospital", "mol-mdt", "regional-trust", "registry", "trial-office"];

    /// <summary>The expected status of each interaction, for the roles in the order of <see cref="Roles"/>.</summary>
    private static readonly Dictionary<string, int[]> Matrix = new()
    {
        ["read a patient"] = [200, 200, 403, 403, 200],
        ["search patients"] = [200, 200, 403, 403, 200],
        ["post a report"] = [200, 403, 403, 403, 403],
        ["update a review task"] = [403, 200, 403, 403, 403],
        ["subscribe to the region"] = [403, 403, 201, 403, 403],
        ["search the audit trail"] = [403, 200, 403, 403, 200],
        ["export"] = [403, 202, 403, 202, 202],
        ["create a group"] = [403, 403, 403, 403, 201],
        ["read the cohorts"] = [200, 200, 403, 403, 200],
        ["validate"] = [200, 200, 200, 200, 200],
    };

    private static int _reports;

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var interaction in Matrix.Keys)
            {
                foreach (var role in Roles)
                {
                    cases.Add(role, interaction);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_do_what_the_trial_gives_it_and_nothing_else(string role, string interaction)
    {
        var organization = role switch
        {
            "hospital" => Organizations.HospitalA,
            "mol-mdt" => Organizations.MolMdt,
            "regional-trust" => Organizations.TrustVest,
            "registry" => Organizations.Registry,
            _ => Organizations.TrialOffice,
        };
        var clientId = $"matrix-{role}-{interaction.Replace(' ', '-')}";
        using var http = server.As(organization, "system/*.cruds", clientId);

        using var response = await SendAsync(http, interaction, organization);

        var body = await response.Content.ReadAsStringAsync();
        var expected = Matrix[interaction][Array.IndexOf(Roles, role)];
        Assert.True((int)response.StatusCode == expected, $"{role} {interaction}: {(int)response.StatusCode} {body}");
        if (expected == 403)
        {
            var outcome = (OperationOutcome)FhirJsonReader.Default.Read(Encoding.UTF8.GetBytes(body)).Resource;
            Assert.Equal(OperationOutcome.IssueType.Forbidden, outcome.Issue[0].Code);
        }

        var audit = Assert.Single(await AuditOfAsync(clientId));
        Assert.Equal(expected < 400 ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4, audit.Outcome);
        Assert.Equal(organization, audit.Agent[0].Who?.Identifier?.Value);
        Assert.Equal(clientId, audit.Agent[0].AltId);
    }

    [Fact]
    public async Task A_token_without_the_scope_is_403_naming_the_scope_it_needs()
    {
        using var reportsOnly = server.As(Organizations.HospitalA, "system/DiagnosticReport.rs");
        using var readOnly = server.As(Organizations.HospitalA, "system/*.read");
        using var patientScopes = server.As(Organizations.HospitalA, "patient/*.cruds user/*.cruds system/Observation.rs?code=1");

        using var patient = await reportsOnly.GetAsync(server.PatientA);
        using var reports = await reportsOnly.GetAsync("DiagnosticReport");
        using var include = await reportsOnly.GetAsync("DiagnosticReport?_include=DiagnosticReport:subject");
        using var revinclude = await reportsOnly.GetAsync("DiagnosticReport?_revinclude=Observation:derived-from");
        using var transaction = await reportsOnly.PostAsync("", SecuredServerFixture.Json(ExampleReports.OfPatient(7100)));
        using var readWithV1 = await readOnly.GetAsync(server.PatientA);
        using var writeWithV1 = await readOnly.PostAsync("", SecuredServerFixture.Json(ExampleReports.OfPatient(7101)));
        using var notSystem = await patientScopes.GetAsync("Observation");

        Assert.Equal(HttpStatusCode.Forbidden, patient.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"system/Patient.r\"", patient.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, include.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, revinclude.StatusCode); // Observation has no indexed derived-from
        Assert.Equal(HttpStatusCode.Forbidden, transaction.StatusCode);
        var refused = (OperationOutcome)FhirJsonReader.Default.Read(await transaction.Content.ReadAsByteArrayAsync()).Resource;
        Assert.StartsWith("Bundle.entry[", refused.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("system/", refused.Issue[0].Details!.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readWithV1.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writeWithV1.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notSystem.StatusCode);
    }

    [Fact]
    public async Task A_client_with_a_role_of_its_own_is_that_role_whatever_its_organisation()
    {
        using var board = server.As(Organizations.HospitalA, "system/*.rs", Organizations.MolMdtClient);
        using var hospital = server.As(Organizations.HospitalA, "system/*.rs", "ous-ehr");

        using var byBoard = await board.GetAsync(server.PatientB);
        using var byHospital = await hospital.GetAsync(server.PatientB);

        Assert.Equal(HttpStatusCode.OK, byBoard.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byHospital.StatusCode);
    }

    [Fact]
    public async Task A_revinclude_needs_the_right_to_search_what_it_brings_in()
    {
        using var patientsOnly = server.As(Organizations.HospitalA, "system/Patient.rs");
        using var everything = server.As(Organizations.HospitalA, "system/*.rs");

        var query = $"Patient?_id={server.PatientA.Split('/')[1]}&_revinclude=DiagnosticReport:subject";
        using var refused = await patientsOnly.GetAsync(query);
        var allowed = (Bundle)FhirJsonReader.Default.Read(await everything.GetByteArrayAsync(query)).Resource;

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(server.ReportA, "DiagnosticReport/" + Assert.Single(allowed.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Include).Resource!.Id);
    }

    [Fact]
    public async Task A_trust_subscribes_to_its_own_region_only_and_sees_only_its_own_subscriptions()
    {
        var endpoint = new Uri("http://127.0.0.1:1/notify");
        using var vest = server.As(Organizations.TrustVest);
        using var nord = server.As(Organizations.TrustNord);

        using var own = await vest.PostAsync("Subscription", SecuredServerFixture.Json(ExampleSubscriptions.CarePlans(endpoint, "CarePlan?region=helse-vest")));
        using var other = await vest.PostAsync("Subscription", SecuredServerFixture.Json(ExampleSubscriptions.CarePlans(endpoint, "CarePlan?region=helse-vest,helse-nord")));
        using var hospital = await vest.PostAsync("Subscription", SecuredServerFixture.Json(ExampleSubscriptions.CarePlans(endpoint, $"CarePlan?organization={Organizations.HospitalA}")));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, hospital.StatusCode);

        var location = own.Headers.Location!.AbsolutePath.Split("/fhir/")[1].Split("/_history")[0];
        using var byOwner = await vest.GetAsync(location);
        using var byOther = await nord.GetAsync(location);
        using var statusByOther = await nord.GetAsync(location + "/$status");
        var listedToOther = (Bundle)FhirJsonReader.Default.Read(await nord.GetByteArrayAsync("Subscription")).Resource;
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, statusByOther.StatusCode);
        Assert.Empty(listedToOther.Entry);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string interaction, string organization)
    {
        switch (interaction)
        {
            case "read a patient":
                return await http.GetAsync(server.PatientA);
            case "search patients":
                return await http.GetAsync("Patient");
            case "post a report":
                var performer = organization == Organizations.HospitalA ? null : organization;
                return await http.PostAsync("", SecuredServerFixture.Json(ExampleReports.OfPatient(7000 + Interlocked.Increment(ref _reports), organizationNumber: performer)));
            case "update a review task":
                using (var mdt = server.As(Organizations.MolMdt, "system/*.rs", "matrix-task-reader"))
                {
                    var tasks = (Bundle)FhirJsonReader.Default.Read(await mdt.GetByteArrayAsync("Task?patient=" + server.PatientA)).Resource;
                    var task = tasks.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>().First(t => t.Code?.Coding.Any(c => c.Code != "publish") ?? true);
                    return await http.PutAsync("Task/" + task.Id, SecuredServerFixture.Json(task));
                }

            case "subscribe to the region":
                return await http.PostAsync("Subscription", SecuredServerFixture.Json(ExampleSubscriptions.CarePlans(new Uri("http://127.0.0.1:1/notify"), "CarePlan?region=helse-vest")));
            case "search the audit trail":
                return await http.GetAsync("AuditEvent?_count=1");
            case "export":
                using (var request = new HttpRequestMessage(HttpMethod.Get, "$export?_type=Patient"))
                {
                    request.Headers.Add("Prefer", "respond-async");
                    request.Headers.Add("Accept", "application/fhir+json");
                    return await http.SendAsync(request);
                }

            case "create a group":
                return await http.PostAsync("Group", SecuredServerFixture.Json(new Group { Type = Group.GroupType.Person, Actual = true, Name = "Patients of a study" }));
            case "read the cohorts":
                return await http.GetAsync("ResearchStudy?_count=1");
            case "validate":
                return await http.PostAsync("Patient/$validate", SecuredServerFixture.Json(new Patient { Gender = AdministrativeGender.Female }));
            default:
                throw new ArgumentOutOfRangeException(nameof(interaction));
        }
    }

    /// <summary>The AuditEvents of a client, as the Mol-MDT finds them.</summary>
    private async Task<List<AuditEvent>> AuditOfAsync(string clientId)
    {
        using var mdt = server.As(Organizations.MolMdt, "system/AuditEvent.rs", "matrix-auditor");
        var bundle = (Bundle)FhirJsonReader.Default.Read(await mdt.GetByteArrayAsync($"AuditEvent?altid={Uri.EscapeDataString(clientId)}&_count=100")).Resource;
        return [.. bundle.Entry.Select(e => e.Resource).OfType<AuditEvent>()];
    }
}
