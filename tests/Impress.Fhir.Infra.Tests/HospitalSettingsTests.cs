namespace Impress.Fhir.Infra.Tests;

/// <summary>
/// How hospital routes become the Publishing:Hospitals app settings. A parameters file without a template
/// (<c>using none</c>) calls the function of infra/modules/publishing.bicep, and <c>bicep build-params</c> evaluates it.
/// </summary>
public sealed class HospitalSettingsTests
{
    private const string Routes = """
        [
          {
            name: 'OUS'
            organizationNumbers: [ '993467049', '974589095' ]
            fhirBaseUrl: 'https://ehr.ous.example/fhir'
            region: 'helse-sor-ost'
            authentication: {
              method: 'ClientSecret'
              tokenEndpoint: 'https://ehr.ous.example/token'
              clientId: 'impress'
              scope: 'system/CarePlan.cu'
              clientSecretName: 'ous-client-secret'
            }
          }
          {
            name: 'HUS'
            organizationNumbers: [ '983974724' ]
            reshIds: [ '100320' ]
            fhirBaseUrl: 'https://ehr.hus.example/fhir'
            authentication: {
              method: 'PrivateKeyJwt'
              tokenEndpoint: 'https://ehr.hus.example/token'
              clientId: 'impress'
              keyId: 'key-1'
              algorithm: 'ES384'
              privateKeySecretName: 'hus-private-key'
            }
          }
          {
            name: 'Open'
            organizationNumbers: [ '974749025' ]
            fhirBaseUrl: 'https://ehr.open.example/fhir'
            authentication: {
              method: 'None'
            }
          }
        ]
        """;

    [Fact]
    public async Task Secrets_become_key_vault_references_and_the_rest_plain_settings()
    {
        var settings = await EvaluateAsync($"hospitalAppSettings({Routes}, 'kv-impress-test')");

        Assert.Equal("@Microsoft.KeyVault(VaultName=kv-impress-test;SecretName=ous-client-secret)", settings["Publishing__Hospitals__0__Authentication__ClientSecret"]);
        Assert.Equal("@Microsoft.KeyVault(VaultName=kv-impress-test;SecretName=hus-private-key)", settings["Publishing__Hospitals__1__Authentication__PrivateKeyPem"]);

        Assert.Equal("OUS", settings["Publishing__Hospitals__0__Name"]);
        Assert.Equal("993467049", settings["Publishing__Hospitals__0__OrganizationNumbers__0"]);
        Assert.Equal("974589095", settings["Publishing__Hospitals__0__OrganizationNumbers__1"]);
        Assert.Equal("https://ehr.ous.example/fhir", settings["Publishing__Hospitals__0__FhirBaseUrl"]);
        Assert.Equal("helse-sor-ost", settings["Publishing__Hospitals__0__Region"]);
        Assert.DoesNotContain("Publishing__Hospitals__1__Region", settings.Keys);
        Assert.Equal("ClientSecret", settings["Publishing__Hospitals__0__Authentication__Method"]);
        Assert.Equal("https://ehr.ous.example/token", settings["Publishing__Hospitals__0__Authentication__TokenEndpoint"]);
        Assert.Equal("impress", settings["Publishing__Hospitals__0__Authentication__ClientId"]);
        Assert.Equal("system/CarePlan.cu", settings["Publishing__Hospitals__0__Authentication__Scope"]);

        Assert.Equal("100320", settings["Publishing__Hospitals__1__ReshIds__0"]);
        Assert.Equal("PrivateKeyJwt", settings["Publishing__Hospitals__1__Authentication__Method"]);
        Assert.Equal("key-1", settings["Publishing__Hospitals__1__Authentication__KeyId"]);
        Assert.Equal("ES384", settings["Publishing__Hospitals__1__Authentication__Algorithm"]);

        Assert.Equal("None", settings["Publishing__Hospitals__2__Authentication__Method"]);
    }

    [Fact]
    public async Task Nothing_absent_from_a_route_is_set()
    {
        var settings = await EvaluateAsync($"hospitalAppSettings({Routes}, 'kv-impress-test')");

        Assert.DoesNotContain("Publishing__Hospitals__0__ReshIds__0", settings.Keys);
        Assert.DoesNotContain("Publishing__Hospitals__0__Authentication__PrivateKeyPem", settings.Keys);
        Assert.DoesNotContain("Publishing__Hospitals__1__Authentication__ClientSecret", settings.Keys);
        Assert.Equal(
            ["Publishing__Hospitals__2__Authentication__Method", "Publishing__Hospitals__2__FhirBaseUrl", "Publishing__Hospitals__2__Name", "Publishing__Hospitals__2__OrganizationNumbers__0"],
            settings.Keys.Where(k => k.StartsWith("Publishing__Hospitals__2__", StringComparison.Ordinal)).Order());
        Assert.All(settings.Values, value => Assert.False(string.IsNullOrEmpty(value)));
    }

    [Fact]
    public async Task No_routes_give_no_settings()
    {
        Assert.Empty(await EvaluateAsync("hospitalAppSettings([], 'kv-impress-test')"));
    }

    /// <summary>The app settings an expression over the publishing functions evaluates to.</summary>
    private static Task<Dictionary<string, string>> EvaluateAsync(string expression) =>
        BicepParameters.EvaluateSettingsAsync("infra/modules/publishing.bicep", "hospitalAppSettings", expression);
}
