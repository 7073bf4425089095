using System.Text.Json;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Infra.Tests;

/// <summary>
/// Who may call: how the organisations and clients become the Security app settings (the function of
/// infra/modules/security.bicep, evaluated by <c>bicep build-params</c>), which values main.bicep's parameter types
/// refuse, and what each environment gives.
/// </summary>
public sealed partial class SecuritySettingsTests
{
    private const string Module = "infra/modules/security.bicep";

    private const string Organizations = """
        [
          {
            organizationNumber: '993467049'
            role: 'hospital'
            name: 'Oslo universitetssykehus HF'
          }
          {
            organizationNumber: '983974724'
            role: 'hospital'
          }
          {
            organizationNumber: '912345678'
            role: 'regional-trust'
            region: 'helse-vest'
            name: 'Regional trust'
          }
        ]
        """;

    private const string Clients = """
        [
          {
            clientId: '7d5c1a0e-1111-4000-8000-00000000000a'
            role: 'mol-mdt'
            name: 'Mol-MDT'
          }
          {
            clientId: '7d5c1a0e-2222-4000-8000-00000000000b'
            role: 'regional-trust'
            region: 'helse-nord'
          }
        ]
        """;

    // The role names the app reads (CallerRoles in functions/Impress.Fhir.Api/Security/CallerRole.cs), given here as
    // strings: referencing Impress.Fhir.Api would build the whole FHIR surface for these tests.
    private static readonly string[] Roles = ["hospital", "mol-mdt", "regional-trust", "registry", "trial-office"];

    [Fact]
    public async Task Organisations_become_settings_by_organisation_number()
    {
        var settings = await EvaluateAsync($"securityAppSettings({Organizations}, [])");

        Assert.Equal("hospital", settings["Security__Organizations__993467049__Role"]);
        Assert.Equal("Oslo universitetssykehus HF", settings["Security__Organizations__993467049__Name"]);
        Assert.Equal("hospital", settings["Security__Organizations__983974724__Role"]);
        Assert.Equal("regional-trust", settings["Security__Organizations__912345678__Role"]);
        Assert.Equal("helse-vest", settings["Security__Organizations__912345678__Region"]);
        Assert.Equal("Regional trust", settings["Security__Organizations__912345678__Name"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Security__Clients__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clients_become_numbered_settings_that_carry_their_ids()
    {
        var settings = await EvaluateAsync($"securityAppSettings({Organizations}, {Clients})");

        Assert.Equal("7d5c1a0e-1111-4000-8000-00000000000a", settings["Security__Clients__0__ClientId"]);
        Assert.Equal("mol-mdt", settings["Security__Clients__0__Role"]);
        Assert.Equal("Mol-MDT", settings["Security__Clients__0__Name"]);
        Assert.Equal("7d5c1a0e-2222-4000-8000-00000000000b", settings["Security__Clients__1__ClientId"]);
        Assert.Equal("regional-trust", settings["Security__Clients__1__Role"]);
        Assert.Equal("helse-nord", settings["Security__Clients__1__Region"]);
        // The organisations' settings are still there.
        Assert.Equal("hospital", settings["Security__Organizations__993467049__Role"]);
    }

    [Fact]
    public async Task Nothing_absent_from_an_organisation_or_client_is_set()
    {
        var settings = await EvaluateAsync($"securityAppSettings({Organizations}, {Clients})");

        Assert.Equal(["Security__Organizations__983974724__Role"], settings.Keys.Where(k => k.StartsWith("Security__Organizations__983974724__", StringComparison.Ordinal)));
        Assert.DoesNotContain("Security__Organizations__993467049__Region", settings.Keys);
        Assert.DoesNotContain("Security__Clients__0__Region", settings.Keys);
        Assert.DoesNotContain("Security__Clients__1__Name", settings.Keys);
        Assert.Equal(12, settings.Count); // each client's ClientId among them
        Assert.All(settings.Values, value => Assert.False(string.IsNullOrEmpty(value)));
    }

    [Fact]
    public async Task No_organisations_or_clients_give_no_settings()
    {
        Assert.Empty(await EvaluateAsync("securityAppSettings([], [])"));
    }

    [Fact]
    public async Task Main_accepts_valid_organisations_and_clients()
    {
        var values = BicepParameters.Values(await BuildMainAsync(Organizations, Clients));

        Assert.Equal(3, values.GetProperty("securityOrganizations").GetProperty("value").GetArrayLength());
        Assert.Equal("helse-nord", values.GetProperty("securityClients").GetProperty("value")[1].GetProperty("region").GetString());
    }

    [Theory]
    [InlineData("[ { organizationNumber: '993467049', role: 'admin' } ]", "[]", "'admin'")]
    [InlineData("[ { organizationNumber: '993467049', role: 'Hospital' } ]", "[]", "'Hospital'")]
    [InlineData("[ { organizationNumber: '912345678', role: 'regional-trust', region: 'Helse Vest' } ]", "[]", "'Helse Vest'")]
    [InlineData("[ { organizationNumber: '912345678', role: 'regional-trust', region: 'helse-ost' } ]", "[]", "'helse-ost'")]
    [InlineData("[ { organizationNumber: '99346704', role: 'hospital' } ]", "[]", "BCP333")]
    [InlineData("[ { organizationNumber: '9934670490', role: 'hospital' } ]", "[]", "BCP332")]
    [InlineData("[ { role: 'hospital' } ]", "[]", "\"organizationNumber\"")]
    [InlineData("[]", "[ { clientId: '7d5c1a0e-1111-4000-8000-00000000000a', role: 'molmdt' } ]", "'molmdt'")]
    [InlineData("[]", "[ { clientId: '7d5c1a0e-1111-4000-8000-00000000000a' } ]", "\"role\"")]
    [InlineData("[]", "[ { clientId: '7d5c1a0e-2222-4000-8000-00000000000b', role: 'regional-trust', region: 'helse-midt' } ]", "'helse-midt'")]
    public async Task Main_rejects_a_role_or_region_the_app_does_not_know_and_a_malformed_organisation_number(string organizations, string clients, string named)
    {
        var build = await BuildMainAsync(organizations, clients);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("Error BCP", build.Diagnostics, StringComparison.Ordinal);
        Assert.Contains(named, build.Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev", "https://helseid-sts.test.nhn.no")]
    [InlineData("prod", "https://helseid-sts.nhn.no")]
    public async Task Each_environment_trusts_its_helseid_and_gives_every_role_to_someone(string environment, string authority)
    {
        var values = await BicepParameters.OfEnvironmentAsync(environment);

        Assert.Equal(authority, Value(values, "helseIdAuthority").GetString());
        var audience = Value(values, "fhirApiAudience").GetString();
        Assert.Equal("nhn:impress-fhir", audience);
        // HelseID names a scope after the API: "nhn:impress-fhir/system/*.rs".
        Assert.Equal(audience + "/", Value(values, "fhirScopePrefix").GetString());

        var organizations = Value(values, "securityOrganizations").EnumerateArray().ToList();
        var clients = Value(values, "securityClients").EnumerateArray().ToList();
        Assert.Equal("hospital", organizations.Single(o => o.GetProperty("organizationNumber").GetString() == "993467049").GetProperty("role").GetString());
        Assert.Equal("hospital", organizations.Single(o => o.GetProperty("organizationNumber").GetString() == "983974724").GetProperty("role").GetString());
        // The Mol-MDT by its client: its tokens carry the organisation number of the hospital hosting it.
        Assert.Equal("mol-mdt", Assert.Single(clients).GetProperty("role").GetString());
        Assert.DoesNotContain(organizations, o => o.GetProperty("role").GetString() == "mol-mdt");
        Assert.Equal(Roles.Order(), organizations.Concat(clients).Select(a => a.GetProperty("role").GetString()!).Distinct().Order());
        // A regional trust without a region could subscribe to nothing.
        Assert.All(organizations.Concat(clients).Where(a => a.GetProperty("role").GetString() == "regional-trust"), a =>
            Assert.True(a.TryGetProperty("region", out var region) && region.ValueKind == JsonValueKind.String));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_environment_gives_distinct_settings_with_names_app_service_allows(string environment)
    {
        var values = await BicepParameters.OfEnvironmentAsync(environment);

        var settings = await EvaluateAsync(
            $"securityAppSettings({BicepParameters.AsBicep(Value(values, "securityOrganizations"))}, {BicepParameters.AsBicep(Value(values, "securityClients"))})");

        Assert.Equal(Value(values, "securityOrganizations").GetArrayLength() + 1, settings.Keys.Count(k => k.EndsWith("__Role", StringComparison.Ordinal)));
        Assert.Equal("hospital", settings["Security__Organizations__993467049__Role"]);
        // App Service takes only letters, digits, periods and underscores in a setting's name: an organisation
        // number or client id with anything else cannot be deployed.
        Assert.All(settings.Keys, name => Assert.Matches(SettingName(), name));
    }

    private static JsonElement Value(JsonElement parameters, string name) => parameters.GetProperty(name).GetProperty("value");

    private static Task<Dictionary<string, string>> EvaluateAsync(string expression) =>
        BicepParameters.EvaluateSettingsAsync(Module, "securityAppSettings", expression);

    /// <summary>Builds a parameters file of infra/main.bicep with these organisations and clients.</summary>
    private static Task<BicepResult> BuildMainAsync(string organizations, string clients) =>
        BicepParameters.BuildAsync($"""
            using '{BicepParameters.Root}/{CompiledMain.MainFile}'

            param environmentName = 'test'
            param helseIdAuthority = 'https://helseid-sts.test.nhn.no'
            param fhirApiAudience = 'nhn:impress-fhir'
            param securityOrganizations = {organizations}
            param securityClients = {clients}
            """);

    [GeneratedRegex("^[A-Za-z0-9_.]+$")]
    private static partial Regex SettingName();
}
