using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>The organisations of the tests, by organisation number, and what each is to the trial.</summary>
public static class Organizations
{
    /// <summary>Oslo universitetssykehus HF: the performer of the package's example report.</summary>
    public const string HospitalA = "993467049";

    /// <summary>Helse Bergen HF.</summary>
    public const string HospitalB = "983974899";

    public const string MolMdt = "910000001";
    public const string TrustVest = "910000002";
    public const string TrustNord = "910000003";
    public const string Registry = "910000004";
    public const string TrialOffice = "910000005";

    /// <summary>The Mol-MDT's client: its tokens carry hospital A's organisation number, which hosts the board.</summary>
    public const string MolMdtClient = "0f8e2b9c-5d4a-4c3b-9e1f-7a6b5c4d3e2f";

    /// <summary>An organisation the server has no role for.</summary>
    public const string Unknown = "910000009";

    public static IReadOnlyList<string> Configuration =>
    [
        $"--Security:Organizations:{HospitalA}:Role=hospital",
        $"--Security:Organizations:{HospitalA}:Name=Oslo universitetssykehus HF",
        $"--Security:Organizations:{HospitalB}:Role=hospital",
        $"--Security:Organizations:{MolMdt}:Role=mol-mdt",
        $"--Security:Organizations:{TrustVest}:Role=regional-trust",
        $"--Security:Organizations:{TrustVest}:Region=helse-vest",
        $"--Security:Organizations:{TrustNord}:Role=regional-trust",
        $"--Security:Organizations:{TrustNord}:Region=helse-nord",
        $"--Security:Organizations:{Registry}:Role=registry",
        $"--Security:Organizations:{TrialOffice}:Role=trial-office",
        $"--Security:Clients:0:ClientId={MolMdtClient}",
        "--Security:Clients:0:Role=mol-mdt",
    ];
}

/// <summary>
/// <c>impress serve</c> with tokens required: HelseID is a <see cref="TokenIssuer"/> on loopback, found through its
/// OpenID configuration (Security:Authority). Hospital A and hospital B have each sent one report, and the pipeline
/// has matched both; everything the server logs is kept.
/// </summary>
public class SecuredServerFixture : ServerFixture
{
    public SecuredServerFixture()
        : this([])
    {
    }

    protected SecuredServerFixture(IReadOnlyList<string> configuration)
        : base([.. Organizations.Configuration, .. configuration])
    {
    }

    public TokenIssuer Issuer { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Hospital A's patient (the example report's, patient 1) and report.</summary>
    public string PatientA { get; private set; } = "";

    public string ReportA { get; private set; } = "";

    /// <summary>Hospital B's patient (patient 2) and report.</summary>
    public string PatientB { get; private set; } = "";

    public string ReportB { get; private set; } = "";

    /// <summary>An HTTP client of <paramref name="organization"/> with a fresh token for <paramref name="scopes"/>.</summary>
    public HttpClient As(string organization, string scopes = "system/*.cruds", string? clientId = null)
    {
        var http = new HttpClient { BaseAddress = BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Token(clientId ?? "client-" + organization, organization, scopes));
        return http;
    }

    /// <summary>A FhirClient (Hl7's own) of <paramref name="organization"/>.</summary>
    public FhirClient FhirAs(string organization, string scopes = "system/*.cruds", string? clientId = null) =>
        new(BaseUrl, As(organization, scopes, clientId), new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (PatientA, ReportA) = await SendAsync(Organizations.HospitalA, ExampleReports.OfPatient(1));
        (PatientB, ReportB) = await SendAsync(Organizations.HospitalB, ExampleReports.OfPatient(2, organizationNumber: Organizations.HospitalB));
        await PipelineIdleAsync();
    }

    /// <summary>Posts a report bundle as the organisation; returns its Patient and DiagnosticReport references.</summary>
    public async Task<(string Patient, string Report)> SendAsync(string organization, Bundle bundle)
    {
        var response = await FhirAs(organization).TransactionAsync(bundle);
        var locations = response!.Entry.Select(e => e.Response?.Location).OfType<string>().ToList();
        static string Reference(string location) => string.Join('/', location.Split('/').Take(2));
        return (Reference(locations.First(l => l.StartsWith("Patient/", StringComparison.Ordinal))), Reference(locations.First(l => l.StartsWith("DiagnosticReport/", StringComparison.Ordinal))));
    }

    /// <summary>The JSON of a bundle, for posting it by hand.</summary>
    public static StringContent Json(Resource resource) => new(FhirJson.Serialize(resource), Encoding.UTF8, "application/fhir+json");

    protected override Task<IReadOnlyList<string>> ConfigurationBeforeStartAsync() => Task.FromResult<IReadOnlyList<string>>(
    [
        $"--Security:Authority={Issuer.Issuer}",
        $"--Security:Audience={TokenIssuer.Audience}",
        "--Security:RequireHttpsMetadata=false",
    ]);

    protected override void ConfigureHost(WebApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((_, _) => true);
        builder.Logging.AddProvider(Logs);
    }

    protected override Task DisposeDependenciesAsync()
    {
        Issuer.Dispose();
        return Task.CompletedTask;
    }
}
