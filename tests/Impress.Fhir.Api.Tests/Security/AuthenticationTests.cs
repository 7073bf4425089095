using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>Tokens, each way they can be wrong: nobody gets in without a valid one from the configured issuer.</summary>
public sealed class AuthenticationTests(SecuredServerFixture server) : IClassFixture<SecuredServerFixture>
{
    public static TheoryData<string> BadTokens => ["none", "not a jwt", "alg none", "unpublished key", "wrong audience", "expired", "wrong issuer", "shared secret"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_request_without_a_valid_token_is_401_with_a_bearer_challenge(string kind)
    {
        var issuer = server.Issuer;
        const string Scopes = "system/*.cruds";
        var token = kind switch
        {
            "none" => null,
            "not a jwt" => "abc.def",
            "alg none" => issuer.Unsigned("intruder", Organizations.HospitalA, Scopes),
            "unpublished key" => issuer.Token("intruder", Organizations.HospitalA, Scopes, key: issuer.RogueKey),
            "wrong audience" => issuer.Token("intruder", Organizations.HospitalA, Scopes, audience: "another-api"),
            "expired" => issuer.Token("intruder", Organizations.HospitalA, Scopes, lifetime: TimeSpan.FromMinutes(-2)),
            "wrong issuer" => issuer.Token("intruder", Organizations.HospitalA, Scopes, issuer: "https://helseid-sts.example"),
            "shared secret" => issuer.Token("intruder", Organizations.HospitalA, Scopes, key: new SymmetricSecurityKey(new byte[32]) { KeyId = issuer.SigningKey.KeyId }, algorithm: SecurityAlgorithms.HmacSha256),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.GetAsync(server.PatientA);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal(token is not null, challenge.Parameter!.Contains("error=\"invalid_token\"", StringComparison.Ordinal));
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(await response.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Equal(OperationOutcome.IssueType.Login, outcome.Issue[0].Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Organizations.Unknown)]
    public async Task A_valid_token_of_an_organisation_without_a_role_is_403(string? organization)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Issuer.Token("stranger", organization, "system/*.rs"));

        using var response = await http.GetAsync(server.PatientA);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(await response.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Contains(organization ?? TokenIssuer.OrganizationClaim, outcome.Issue[0].Details?.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_capability_statement_and_the_smart_configuration_need_no_token()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        var capabilities = (CapabilityStatement)FhirJsonReader.Default.Read(await http.GetByteArrayAsync("metadata")).Resource;
        using var smart = JsonDocument.Parse(await http.GetStringAsync(".well-known/smart-configuration"));

        var security = capabilities.Rest[0].Security;
        Assert.Equal("SMART-on-FHIR", security!.Service[0].Coding[0].Code);
        var token = security.GetExtension("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")!.GetExtensionValue<FhirUri>("token").Value;
        Assert.Equal(server.Issuer.Issuer + "/connect/token", token);
        Assert.Equal(token, smart.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Contains("client_credentials", smart.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("permission-v2", smart.RootElement.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Hl7s_own_client_with_a_token_reads_what_its_hospital_sent()
    {
        var client = server.FhirAs(Organizations.HospitalA, "system/*.rs");

        var patient = await client.ReadAsync<Patient>(server.PatientA);
        var reports = await client.SearchAsync<DiagnosticReport>(["subject=" + server.PatientA]);

        Assert.Equal(SyntheticIdentities.NationalId(1), patient!.Identifier[0].Value);
        Assert.Equal(server.ReportA, "DiagnosticReport/" + Assert.Single(reports!.Entry).Resource!.Id);
    }
}
