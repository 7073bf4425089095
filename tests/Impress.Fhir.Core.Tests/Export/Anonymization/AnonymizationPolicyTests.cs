using System.Text;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

public sealed class AnonymizationPolicyTests
{
    [Fact]
    public void The_registry_policy_is_shipped_without_keys()
    {
        var registry = AnonymizationPolicy.Registry;

        Assert.Equal("registry", registry.Name);
        Assert.Equal(ProcessingErrorMode.Raise, registry.ProcessingErrors);
        Assert.Equal(DateShiftScope.Patient, registry.Parameters.DateShiftScope);
        Assert.True(registry.Parameters.ScrubNationalIdentityNumbers);
        Assert.True(registry.Parameters.ScrubPatientNames);
        Assert.True(string.IsNullOrEmpty(registry.Parameters.CryptoHashKey));
        Assert.True(string.IsNullOrEmpty(registry.Parameters.DateShiftKey));

        var missing = Assert.Throws<AnonymizationPolicyException>(() => new Anonymizer(registry));
        Assert.Equal("parameters.cryptoHashKey", missing.Element);
        Assert.Equal("parameters.cryptoHashKey is required by fhirPathRules[0] (cryptoHash).", missing.Message);
        _ = new Anonymizer(registry.WithKeys(AnonymizationTestData.Keys));
    }

    [Fact]
    public void The_registry_file_users_copy_is_the_embedded_policy()
    {
        var file = Path.Combine(RepositoryPaths.Root, "functions", "Impress.Fhir.Core", "Export", "Anonymization", "Policies", "registry.json");

        var fromFile = AnonymizationPolicy.Parse("registry", File.ReadAllBytes(file));

        Assert.Equal(
            AnonymizationPolicy.Registry.Rules.Select(rule => (rule.Path, rule.Method)),
            fromFile.Rules.Select(rule => (rule.Path, rule.Method)));
        Assert.Equal(AnonymizationPolicy.Registry.Parameters, fromFile.Parameters with { RestrictedZipCodeTabulationAreas = AnonymizationPolicy.Registry.Parameters.RestrictedZipCodeTabulationAreas });
    }

    [Fact]
    public void Rules_keep_their_order_and_settings()
    {
        var policy = Parse("""
            {
              "fhirPathRules": [
                { "path": "Patient.name", "method": "keep" },
                { "path": "Observation.value", "method": "perturb", "span": 0.2, "rangeType": "proportional", "roundTo": 1 },
                { "path": "Patient.birthDate", "method": "generalize", "cases": { "$this < @1970-01-01": "@1960" }, "otherValues": "keep" },
                { "path": "Patient.gender", "method": "substitute", "replaceWith": "unknown" }
              ]
            }
            """);

        Assert.Equal([0, 1, 2, 3], policy.Rules.Select(rule => rule.Index));
        Assert.Equal([AnonymizationMethod.Keep, AnonymizationMethod.Perturb, AnonymizationMethod.Generalize, AnonymizationMethod.Substitute], policy.Rules.Select(rule => rule.Method));
        Assert.Equal(new PerturbSettings(0.2m, PerturbRangeType.Proportional, 1), policy.Rules[1].Perturb);
        Assert.Equal(GeneralizeOtherValues.Keep, policy.Rules[2].Generalize!.OtherValues);
        Assert.Equal(new GeneralizeCase("$this < @1970-01-01", "@1960"), Assert.Single(policy.Rules[2].Generalize!.Cases));
        Assert.Equal("unknown", policy.Rules[3].Substitute!.ReplaceWith.GetString());
        Assert.Equal(ProcessingErrorMode.Raise, policy.ProcessingErrors);
        Assert.Equal("fhirPathRules[1] (perturb)", policy.Rules[1].ToString());
    }

    [Fact]
    public void Methods_are_read_without_regard_to_case()
    {
        var policy = Parse("""{ "fhirPathRules": [ { "path": "Resource.id", "method": "CRYPTOHASH" }, { "path": "nodesByType('date')", "method": "dateshift" } ] }""");

        Assert.Equal([AnonymizationMethod.CryptoHash, AnonymizationMethod.DateShift], policy.Rules.Select(rule => rule.Method));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed_as_in_the_format_samples()
    {
        var policy = Parse("""
            {
              // the format's own samples carry these
              "fhirPathRules": [ { "path": "Patient.name", "method": "redact", }, ],
            }
            """);

        Assert.Single(policy.Rules);
    }

    [Fact]
    public void An_unknown_method_is_named_with_the_methods_there_are()
    {
        var error = ParseError("""{ "fhirPathRules": [ { "path": "Patient.name", "method": "keep" }, { "path": "Resource.id", "method": "keep" }, { "path": "Patient.id", "method": "hash" } ] }""");

        Assert.Equal("fhirPathRules[2].method", error.Element);
        Assert.Equal("fhirPathRules[2].method: 'hash' is not an anonymization method (keep, redact, dateShift, cryptoHash, encrypt, substitute, perturb, generalize).", error.Message);
    }

    [Theory]
    [InlineData("Patient.name.where(")]
    [InlineData("Patient.name.frobnicate()")]
    [InlineData("nodesByType(HumanName)")]
    [InlineData("Patient.name | ")]
    public void A_path_that_is_not_FHIRPath_is_named(string path)
    {
        var error = ParseError($$"""{ "fhirPathRules": [ { "path": "Patient.gender", "method": "keep" }, { "path": "{{path}}", "method": "redact" } ] }""");

        Assert.Equal("fhirPathRules[1].path", error.Element);
        Assert.StartsWith($"fhirPathRules[1].path: '{path}' is not valid FHIRPath: ", error.Message);
    }

    [Theory]
    [InlineData("""{ "processingError": "raise", "fhirPathRules": [] }""", "processingError")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.name", "methd": "redact" } ] }""", "fhirPathRules[0].methd")]
    [InlineData("""{ "fhirPathRules": [], "parameters": { "dateShiftkey": "x" } }""", "parameters.dateShiftkey")]
    public void An_unknown_property_is_refused_by_name(string json, string element)
    {
        var error = ParseError(json);

        Assert.Equal(element, error.Element);
        Assert.StartsWith($"{element}: unknown property; ", error.Message);
    }

    [Fact]
    public void A_setting_of_another_method_is_refused()
    {
        var error = ParseError("""{ "fhirPathRules": [ { "path": "Patient.name", "method": "redact", "span": 2 } ] }""");

        Assert.Equal("fhirPathRules[0].span", error.Element);
        Assert.Equal("fhirPathRules[0].span: only perturb rules take span; this rule's method is redact.", error.Message);
    }

    [Theory]
    [InlineData("""{ "fhirVersion": "Stu3", "fhirPathRules": [] }""", "fhirVersion")]
    [InlineData("""{ "processingErrors": "ignore", "fhirPathRules": [] }""", "processingErrors")]
    [InlineData("""{ }""", "fhirPathRules")]
    [InlineData("""{ "fhirPathRules": {} }""", "fhirPathRules")]
    [InlineData("""{ "fhirPathRules": [ "Patient.name" ] }""", "fhirPathRules[0]")]
    [InlineData("""{ "fhirPathRules": [ { "method": "redact" } ] }""", "fhirPathRules[0].path")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.name", "method": "redact", "path": "Patient.id" } ] }""", "fhirPathRules[0].path")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.gender", "method": "substitute" } ] }""", "fhirPathRules[0].replaceWith")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Observation.value", "method": "perturb" } ] }""", "fhirPathRules[0].span")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Observation.value", "method": "perturb", "span": -1 } ] }""", "fhirPathRules[0].span")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Observation.value", "method": "perturb", "span": 1, "rangeType": "relative" } ] }""", "fhirPathRules[0].rangeType")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Observation.value", "method": "perturb", "span": 1, "roundTo": 29 } ] }""", "fhirPathRules[0].roundTo")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.birthDate", "method": "generalize" } ] }""", "fhirPathRules[0].cases")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.birthDate", "method": "generalize", "cases": { "$this >": "@1960" } } ] }""", "fhirPathRules[0].cases")]
    [InlineData("""{ "fhirPathRules": [ { "path": "Patient.birthDate", "method": "generalize", "cases": { "true": "@1960" }, "otherValues": "drop" } ] }""", "fhirPathRules[0].otherValues")]
    [InlineData("""{ "fhirPathRules": [], "parameters": { "dateShiftScope": "day" } }""", "parameters.dateShiftScope")]
    [InlineData("""{ "fhirPathRules": [], "parameters": { "enablePartialDatesForRedact": "yes" } }""", "parameters.enablePartialDatesForRedact")]
    [InlineData("""{ "fhirPathRules": [], "parameters": { "cryptoHashKey": 42 } }""", "parameters.cryptoHashKey")]
    [InlineData("""{ "fhirPathRules": [], "parameters": { "restrictedZipCodeTabulationAreas": [ 500 ] } }""", "parameters.restrictedZipCodeTabulationAreas")]
    [InlineData("""[ ]""", "")]
    [InlineData("""{ "fhirPathRules": [ """, "")]
    public void A_value_of_the_wrong_kind_is_named(string json, string element) => Assert.Equal(element, ParseError(json).Element);

    [Fact]
    public void A_method_without_its_key_is_refused_naming_the_rule()
    {
        var policy = Parse("""{ "fhirPathRules": [ { "path": "Patient.name", "method": "redact" }, { "path": "nodesByType('date')", "method": "dateShift" } ] }""");

        var error = Assert.Throws<AnonymizationPolicyException>(() => new Anonymizer(policy));

        Assert.Equal("parameters.dateShiftKey", error.Element);
        Assert.Equal("parameters.dateShiftKey is required by fhirPathRules[1] (dateShift).", error.Message);
    }

    [Fact]
    public void An_encryption_key_must_be_an_AES_key()
    {
        var policy = Parse("""{ "fhirPathRules": [ { "path": "Patient.name.family", "method": "encrypt" } ], "parameters": { "encryptKey": "too short" } }""");

        var error = Assert.Throws<AnonymizationPolicyException>(() => new Anonymizer(policy));

        Assert.Equal("parameters.encryptKey", error.Element);
        Assert.Contains("16, 24 or 32 bytes", error.Message);
    }

    [Fact]
    public void Keys_from_configuration_fill_only_the_keys_the_file_leaves_empty()
    {
        var policy = Parse("""{ "fhirPathRules": [], "parameters": { "cryptoHashKey": "from-the-file", "dateShiftKey": "" } }""");

        var keyed = policy.WithKeys(new AnonymizationKeys("from-configuration", "shift-from-configuration", null));

        Assert.Equal("from-the-file", keyed.Parameters.CryptoHashKey);
        Assert.Equal("shift-from-configuration", keyed.Parameters.DateShiftKey);
        Assert.Null(keyed.Parameters.EncryptKey);
        Assert.Same(policy.Rules, keyed.Rules);
        Assert.Equal("", policy.Parameters.DateShiftKey);
    }

    [Fact]
    public void Printing_parameters_or_keys_never_prints_a_key()
    {
        var keys = new AnonymizationKeys("secret-one", "secret-two", null);
        var policy = Parse("""{ "fhirPathRules": [] }""").WithKeys(keys);

        var printed = $"{keys} {policy.Parameters}";

        Assert.DoesNotContain("secret", printed);
        Assert.Contains("CryptoHashKey = (set)", printed);
        Assert.Contains("EncryptKey = (empty)", printed);
    }

    private static AnonymizationPolicy Parse(string json) => AnonymizationPolicy.Parse("test", Encoding.UTF8.GetBytes(json));

    private static AnonymizationPolicyException ParseError(string json) => Assert.Throws<AnonymizationPolicyException>(() => Parse(json));
}
