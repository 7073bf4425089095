using System.Text.Json;

namespace Impress.Fhir.Infra.Tests;

/// <summary>What <c>infra/main.bicep</c> deploys, read from the ARM JSON it compiles to.</summary>
public sealed class TemplateTests(CompiledMain main) : IClassFixture<CompiledMain>
{
    // Built-in role definitions (the same ids in every tenant and cloud).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    // The Export:Keys settings and the vault secrets they come from. The names are those of ExportOptions.Section,
    // ExportOptions.Keys and the properties of ExportKeyOptions (functions/Impress.Fhir.Api/Export/ExportOptions.cs),
    // given here as strings: referencing Impress.Fhir.Api would build the whole FHIR surface for these tests.
    private const string ExportKeysSection = "Export__Keys";

    private static readonly Dictionary<string, string> ExportKeySecrets = new(StringComparer.Ordinal)
    {
        ["CryptoHashKey"] = "export-crypto-hash-key",
        ["DateShiftKey"] = "export-date-shift-key",
        ["EncryptKey"] = "export-encrypt-key",
    };

    private ArmTemplate Template => main.Template;

    [Fact]
    public void The_plan_is_flex_consumption_on_linux()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.Get("sku.name").GetString());
        Assert.Equal("FlexConsumption", plan.Get("sku.tier").GetString());
        Assert.True(plan.Get("properties.reserved").GetBoolean());
    }

    [Fact]
    public void The_function_app_runs_dotnet_isolated_10_over_https_only_deployed_from_a_container_with_the_identity()
    {
        var site = Template.Single("Microsoft.Web/sites");

        Assert.Equal("functionapp,linux", site.Get("kind").GetString());
        Assert.True(site.Get("properties.httpsOnly").GetBoolean());
        Assert.Equal("1.2", site.Get("properties.siteConfig.minTlsVersion").GetString());
        Assert.Equal("Disabled", site.Get("properties.siteConfig.ftpsState").GetString());
        Assert.Equal("dotnet-isolated", site.Get("properties.functionAppConfig.runtime.name").GetString());
        Assert.Equal("10.0", site.Get("properties.functionAppConfig.runtime.version").GetString());
        Assert.Equal("blobContainer", site.Get("properties.functionAppConfig.deployment.storage.type").GetString());
        Assert.Equal("UserAssignedIdentity", site.Get("properties.functionAppConfig.deployment.storage.authentication.type").GetString());
        Assert.Equal("[parameters('identityId')]", site.Get("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", site.Get("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount").GetString());
        Assert.Equal("[parameters('instanceMemoryMB')]", site.Get("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB").GetString());

        Assert.Equal("UserAssigned", site.Get("identity.type").GetString());
        Assert.Equal("[parameters('identityId')]", site.Get("properties.keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void The_app_settings_give_every_client_the_identity_and_no_secret()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var names = ArmTemplate.AppSettingNames(site);

        string[] expected =
        [
            "AzureWebJobsStorage__accountName",
            "AzureWebJobsStorage__credential",
            "AzureWebJobsStorage__clientId",
            "Storage__Azure__BlobServiceUri",
            "Storage__Azure__TableServiceUri",
            "Storage__Azure__QueueServiceUri",
            "Storage__Azure__ContainerName",
            "Storage__Azure__ExportContainerName",
            "Storage__Azure__ManagedIdentityClientId",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "Publishing__MolMdtOrganizationNumber",
            "Security__Authority",
            "Security__Audience",
        ];
        Assert.All(expected, name => Assert.Contains(name, names));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        // No connection string with a key: the host and the store sign in with the identity.
        Assert.DoesNotContain("AzureWebJobsStorage", names);
        Assert.DoesNotContain("Storage__Azure__ConnectionString", names);

        var settings = FixedSettings(site);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["Storage__Azure__ManagedIdentityClientId"]);

        // Every store setting names a property the app binds (Storage:Azure is AzureStoreOptions).
        Assert.All(names.Where(n => n.StartsWith("Storage__Azure__", StringComparison.Ordinal)), name =>
            Assert.NotNull(typeof(Impress.Fhir.Storage.Azure.AzureStoreOptions).GetProperty(name["Storage__Azure__".Length..])));
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);

        // The hospital routes are added to the fixed settings.
        Assert.Contains("hospitalAppSettings(parameters('hospitalRoutes')", site.Get("properties.siteConfig.appSettings").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_is_given_the_token_issuer_audience_and_scope_prefix_of_the_parameters()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var settings = FixedSettings(site);

        // Set whatever the callers are: in Azure the app does not start without an authority and an audience.
        Assert.Equal("[parameters('helseIdAuthority')]", settings["Security__Authority"]);
        Assert.Equal("[parameters('fhirApiAudience')]", settings["Security__Audience"]);
        Assert.Equal("[parameters('fhirScopePrefix')]", settings["Security__ScopePrefix"]);
        Assert.Equal("[string(parameters('rateLimitBurst'))]", settings["Security__RateLimit__Burst"]);
        Assert.Equal("[string(parameters('rateLimitPerSecond'))]", settings["Security__RateLimit__PerSecond"]);
        foreach (var parameter in new[] { "helseIdAuthority", "fhirApiAudience", "fhirScopePrefix", "securityOrganizations", "securityClients", "rateLimitBurst", "rateLimitPerSecond" })
        {
            Assert.Equal($"[parameters('{parameter}')]", Template.ModuleParameter("functionApp", parameter).GetString());
        }

        // No default issuer or audience: each deployment names the HelseID it trusts.
        var parameters = Template.Root.GetProperty("parameters");
        foreach (var required in new[] { "helseIdAuthority", "fhirApiAudience" })
        {
            Assert.False(parameters.GetProperty(required).TryGetProperty("defaultValue", out _), $"{required} has a default.");
            Assert.Equal(1, parameters.GetProperty(required).GetProperty("minLength").GetInt32());
        }

        Assert.Equal("", parameters.GetProperty("fhirScopePrefix").GetProperty("defaultValue").GetString());
        // The app's own defaults (RateLimitOptions in functions/Impress.Fhir.Api/Security/SecurityOptions.cs).
        Assert.Equal(1000, parameters.GetProperty("rateLimitBurst").GetProperty("defaultValue").GetInt32());
        Assert.Equal(500, parameters.GetProperty("rateLimitPerSecond").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void The_organisations_and_clients_are_added_to_the_app_settings()
    {
        var site = Template.Single("Microsoft.Web/sites");

        Assert.Contains(
            "securityAppSettings(parameters('securityOrganizations'), parameters('securityClients'))",
            site.Get("properties.siteConfig.appSettings").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(0, Template.Root.GetProperty("parameters").GetProperty("securityOrganizations").GetProperty("defaultValue").GetArrayLength());
        Assert.Equal(0, Template.Root.GetProperty("parameters").GetProperty("securityClients").GetProperty("defaultValue").GetArrayLength());
    }

    [Fact]
    public void The_parameter_types_allow_only_the_roles_the_app_knows_and_the_four_regional_health_trusts()
    {
        var definitions = Template.Root.GetProperty("definitions");

        // The types as deployed: Resource Manager refuses other values too, whatever the parameters file.
        var organization = Definition(definitions, Template.Root.GetProperty("parameters").GetProperty("securityOrganizations").GetProperty("items"));
        var client = Definition(definitions, Template.Root.GetProperty("parameters").GetProperty("securityClients").GetProperty("items"));
        foreach (var access in new[] { organization, client })
        {
            var properties = access.GetProperty("properties");
            Assert.Equal(
                ["hospital", "mol-mdt", "regional-trust", "registry", "trial-office"],
                Definition(definitions, properties.GetProperty("role")).GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()).Order());
            var region = properties.GetProperty("region");
            Assert.True(region.GetProperty("nullable").GetBoolean());
            Assert.Equal(
                ["helse-midt-norge", "helse-nord", "helse-sor-ost", "helse-vest"],
                Definition(definitions, region).GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()).Order());
            Assert.True(properties.GetProperty("name").GetProperty("nullable").GetBoolean());
        }

        var number = organization.GetProperty("properties").GetProperty("organizationNumber");
        Assert.Equal(9, number.GetProperty("minLength").GetInt32());
        Assert.Equal(9, number.GetProperty("maxLength").GetInt32());
        Assert.False(number.TryGetProperty("nullable", out _));
        Assert.Equal(1, client.GetProperty("properties").GetProperty("clientId").GetProperty("minLength").GetInt32());
    }

    [Fact]
    public void The_storage_account_allows_no_public_blobs_no_shared_keys_and_only_tls_1_2_over_https()
    {
        var account = Template.Single("Microsoft.Storage/storageAccounts");

        Assert.Equal("StorageV2", account.Get("kind").GetString());
        Assert.False(account.Get("properties.allowBlobPublicAccess").GetBoolean());
        Assert.False(account.Get("properties.allowSharedKeyAccess").GetBoolean());
        Assert.True(account.Get("properties.supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", account.Get("properties.minimumTlsVersion").GetString());
    }

    [Fact]
    public void The_storage_account_holds_the_store_container_the_export_container_the_deployment_container_and_the_pipeline_queues()
    {
        Assert.Equal(3, Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Count());
        Assert.Single(Template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Single(Template.OfType("Microsoft.Storage/storageAccounts/tableServices"));

        Assert.Equal("fhir-resources", Template.ModuleParameter("storage", "resourcesContainerName").GetString());
        Assert.Equal("fhir-resources", Template.ModuleParameter("functionApp", "resourcesContainerName").GetString());
        // Every stage queue the store creates, and its poison queue.
        string[] queues = [.. Impress.Fhir.Storage.StageQueues.All.SelectMany(q => new[] { "impress-" + q, "impress-" + Impress.Fhir.Storage.StageQueues.PoisonOf(q) })];
        Assert.Equal(queues.Order(), Template.ModuleParameter("storage", "queueNames").EnumerateArray().Select(q => q.GetString()!).Order());
    }

    [Fact]
    public void The_export_container_is_private_and_the_app_is_given_its_name()
    {
        var container = Assert.Single(
            Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => c.Get("name").GetString()!.Contains("parameters('exportsContainerName')", StringComparison.Ordinal));
        Assert.Equal("None", container.Get("properties.publicAccess").GetString());

        // The storage module names the container (by default as the app does) and hands the name on.
        var storage = Template.Module("storage");
        var name = storage.Get("properties.parameters").TryGetProperty("exportsContainerName", out _)
            ? Template.ModuleParameter("storage", "exportsContainerName")
            : storage.Get("properties.template.parameters.exportsContainerName.defaultValue");
        Assert.Equal(new Impress.Fhir.Storage.Azure.AzureStoreOptions().ExportContainerName, name.GetString());
        Assert.Equal("[parameters('exportsContainerName')]", storage.Get("properties.template.outputs.exportsContainerName.value").GetString());
        Assert.Equal("[reference('storage').outputs.exportsContainerName.value]", Template.ModuleParameter("functionApp", "exportsContainerName").GetString());

        // The app writes and reads its files there (Storage:Azure:ExportContainerName).
        var site = Template.Single("Microsoft.Web/sites");
        Assert.Equal("[parameters('exportsContainerName')]", FixedSettings(site)["Storage__Azure__ExportContainerName"]);
    }

    [Fact]
    public void The_export_keys_are_key_vault_references_to_secrets_of_the_app_vault()
    {
        var site = Template.Single("Microsoft.Web/sites");
        var settings = FixedSettings(site);

        foreach (var (key, secret) in ExportKeySecrets)
        {
            var name = $"{ExportKeysSection}__{key}";
            Assert.True(settings.TryGetValue(name, out var value), $"No app setting {name}.");
            // An expression over the vault parameter, never a literal key.
            Assert.Equal($"[__bicep.keyVaultReference(parameters('keyVaultName'), '{secret}')]", value);
        }

        Assert.Equal(
            ExportKeySecrets.Select(k => $"{ExportKeysSection}__{k.Key}").Order(),
            ArmTemplate.AppSettingNames(site).Where(n => n.StartsWith("Export__", StringComparison.Ordinal)).Order());
        Assert.Equal(
            "[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', parameters('vaultName'), parameters('secretName'))]",
            ArmTemplate.Get(site.Template, "functions").EnumerateArray()
                .Select(ns => ns.GetProperty("members"))
                .Single(members => members.TryGetProperty("keyVaultReference", out _))
                .GetProperty("keyVaultReference").GetProperty("output").GetProperty("value").GetString());
        Assert.Equal("[reference('keyVault').outputs.name.value]", Template.ModuleParameter("functionApp", "keyVaultName").GetString());
    }

    [Fact]
    public void The_lifecycle_policy_deletes_stale_files_of_the_export_container_only()
    {
        var policy = Template.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(policy.Get("properties.policy.rules").EnumerateArray());

        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal("Lifecycle", rule.GetProperty("type").GetString());
        // The container name and a slash: the export container's blobs, not those of a container whose name begins alike.
        Assert.Equal(["[format('{0}/', parameters('exportsContainerName'))]"], ArmTemplate.Get(rule, "definition.filters.prefixMatch").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["blockBlob"], ArmTemplate.Get(rule, "definition.filters.blobTypes").EnumerateArray().Select(p => p.GetString()));
        Assert.False(ArmTemplate.Get(rule, "definition.filters").TryGetProperty("blobIndexMatch", out _));

        // Only the delete of base blobs, some days after they were last written.
        var actions = ArmTemplate.Get(rule, "definition.actions");
        Assert.Equal(["baseBlob"], actions.EnumerateObject().Select(a => a.Name));
        Assert.Equal(["delete"], actions.GetProperty("baseBlob").EnumerateObject().Select(a => a.Name));
        Assert.Equal("[parameters('exportsDeleteAfterDays')]", ArmTemplate.Get(actions, "baseBlob.delete.daysAfterModificationGreaterThan").GetString());
        Assert.Equal("[parameters('exportsDeleteAfterDays')]", Template.ModuleParameter("storage", "exportsDeleteAfterDays").GetString());
        Assert.Equal(7, Template.Root.GetProperty("parameters").GetProperty("exportsDeleteAfterDays").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void The_key_vault_uses_rbac_and_soft_delete()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults");

        Assert.True(vault.Get("properties.enableRbacAuthorization").GetBoolean());
        Assert.True(vault.Get("properties.enableSoftDelete").GetBoolean());
        Assert.Equal("[if(parameters('enablePurgeProtection'), true(), null())]", vault.Get("properties.enablePurgeProtection").GetString());
    }

    [Fact]
    public void Application_insights_is_workspace_based_with_local_authentication_off()
    {
        Template.Single("Microsoft.OperationalInsights/workspaces");
        var insights = Template.Single("Microsoft.Insights/components");

        Assert.True(insights.Get("properties.DisableLocalAuth").GetBoolean());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.Get("properties.WorkspaceResourceId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void There_is_one_user_assigned_identity()
    {
        Template.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
    }

    [Theory]
    [InlineData(StorageBlobDataOwner, "Microsoft.Storage/storageAccounts")]
    [InlineData(StorageQueueDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(StorageTableDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(KeyVaultSecretsUser, "Microsoft.KeyVault/vaults")]
    [InlineData(MonitoringMetricsPublisher, "Microsoft.Insights/components")]
    public void The_identity_holds_each_role_on_its_resource_only(string roleDefinition, string scopeType)
    {
        var assignment = Assert.Single(
            Template.OfType("Microsoft.Authorization/roleAssignments"),
            a => a.Get("properties.roleDefinitionId").GetString()!.Contains($"'Microsoft.Authorization/roleDefinitions', '{roleDefinition}'", StringComparison.Ordinal));

        Assert.Contains(scopeType, assignment.Get("scope").GetString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('principalId')]", assignment.Get("properties.principalId").GetString());
        Assert.Equal("ServicePrincipal", assignment.Get("properties.principalType").GetString());
        // A deterministic name: deploying again finds the same assignment.
        Assert.StartsWith("[guid(", assignment.Get("name").GetString(), StringComparison.Ordinal);
        Assert.Contains(roleDefinition, assignment.Get("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_other_role_is_assigned()
    {
        Assert.Equal(5, Template.OfType("Microsoft.Authorization/roleAssignments").Count());
    }

    [Fact]
    public void The_outputs_name_the_app_its_host_the_storage_account_the_vault_and_the_identity()
    {
        var outputs = Template.Root.GetProperty("outputs");
        string[] expected = ["functionAppName", "functionAppHostName", "fhirBaseUrl", "storageAccountName", "keyVaultName", "identityClientId"];

        Assert.Equal(expected.Order(), outputs.EnumerateObject().Select(o => o.Name).Order());
        Assert.All(outputs.EnumerateObject(), o => Assert.Equal("string", o.Value.GetProperty("type").GetString()));
        Assert.EndsWith("/fhir', reference('functionApp').outputs.defaultHostName.value)]", outputs.GetProperty("fhirBaseUrl").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_parameter_is_described()
    {
        Assert.All(Template.Root.GetProperty("parameters").EnumerateObject(), p =>
            Assert.False(string.IsNullOrWhiteSpace(p.Value.TryGetProperty("metadata", out var metadata) ? metadata.GetProperty("description").GetString() : null), $"Parameter {p.Name} has no description."));
        Assert.Equal("[resourceGroup().location]", Template.Root.GetProperty("parameters").GetProperty("location").GetProperty("defaultValue").GetString());
    }

    /// <summary>A type as the template defines it: the definition a "$ref" names, or the type itself.</summary>
    private static JsonElement Definition(JsonElement definitions, JsonElement type) =>
        type.TryGetProperty("$ref", out var reference)
            ? definitions.GetProperty(reference.GetString()!["#/definitions/".Length..])
            : type;

    private static Dictionary<string, string?> FixedSettings(ArmResource site) =>
        ArmTemplate.Get(site.Template, "variables.fixedAppSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").ValueKind == JsonValueKind.String ? s.GetProperty("value").GetString() : s.GetProperty("value").ToString());
}
