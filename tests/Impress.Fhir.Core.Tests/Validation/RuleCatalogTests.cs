using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests.Validation;

/// <summary>Every rule code an OperationOutcome can carry is defined in the package's validation-rule CodeSystem.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class RuleCatalogTests(ValidatorFixture fixture)
{
    [Fact]
    public void Every_rule_is_defined_in_the_validation_rule_code_system()
    {
        var codeSystem = (CodeSystem)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Profiles, "CodeSystem-validation-rule.json"))).Resource;
        var defined = codeSystem.Concept.Select(c => c.Code).ToHashSet();

        Assert.Equal(ValidationResult.RuleCodeSystem, codeSystem.Url);
        var raised = fixture.Validator.Rules.Select(r => r.Id).Append("unknown-profile").ToHashSet();
        Assert.Equal(defined.Order(), raised.Order());
    }
}
