using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Functions.Tests;

/// <summary>The Functions app as deployed: tokens from HelseID (a <see cref="TokenIssuer"/> here) required.</summary>
public sealed class SecuredFunctionsFixture : FunctionsFixture
{
    public const string HospitalA = "993467049";
    public const string HospitalB = "983974899";
    public const string MolMdt = "910000001";

    public TokenIssuer Issuer { get; } = new();

    public Dictionary<string, string> As(string organization, string clientId) =>
        new() { ["Authorization"] = "Bearer " + Issuer.Token(clientId, organization, "system/*.cruds") };

    public override async System.Threading.Tasks.Task DisposeAsync()
    {
        await base.DisposeAsync();
        Issuer.Dispose();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => new Dictionary<string, string?>
    {
        ["Security:Authority"] = Issuer.Issuer,
        ["Security:Audience"] = TokenIssuer.Audience,
        ["Security:RequireHttpsMetadata"] = "false",
        [$"Security:Organizations:{HospitalA}:Role"] = "hospital",
        [$"Security:Organizations:{HospitalB}:Role"] = "hospital",
        [$"Security:Organizations:{MolMdt}:Role"] = "mol-mdt",
    };
}

/// <summary>The HTTP function holds callers to the same tokens, tenancy and audit as <c>impress serve</c>.</summary>
public sealed class SecuredFunctionTests(SecuredFunctionsFixture functions) : IClassFixture<SecuredFunctionsFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task Tokens_tenancy_and_the_audit_trail_hold_on_the_Functions_host()
    {
        var report = FhirJson.Serialize(ExampleReports.OfPatient(901));

        var anonymous = await functions.SendAsync("POST", "", report);
        var posted = await functions.SendAsync("POST", "", report, headers: functions.As(SecuredFunctionsFixture.HospitalA, "ous-ehr"));
        var patient = ((Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(posted.Body)).Resource).Entry
            .Select(e => e.Response?.Location).OfType<string>().First(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];
        var byOwner = await functions.SendAsync("GET", patient, headers: functions.As(SecuredFunctionsFixture.HospitalA, "ous-ehr"));
        var byOther = await functions.SendAsync("GET", patient, headers: functions.As(SecuredFunctionsFixture.HospitalB, "hus-ehr"));
        var audit = await functions.SendAsync("GET", "AuditEvent?altid=hus-ehr", headers: functions.As(SecuredFunctionsFixture.MolMdt, "mol-mdt"));

        Assert.Equal(401, anonymous.Status);
        Assert.StartsWith("Bearer", anonymous.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(200, posted.Status);
        Assert.Equal(200, byOwner.Status);
        Assert.Equal(404, byOther.Status);
        var events = ((Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(audit.Body)).Resource).Entry.Select(e => (AuditEvent)e.Resource!).ToList();
        var read = Assert.Single(events);
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, read.Outcome);
        Assert.Equal(patient, read.Entity[0].What?.Reference);
        Assert.Equal(SecuredFunctionsFixture.HospitalB, read.Agent[0].Who?.Identifier?.Value);
    }
}
