using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests.Validation;

[Collection(ValidatorCollection.Name)]
public sealed class OperationOutcomeTests(ValidatorFixture fixture)
{
    [Fact]
    public void Each_issue_carries_severity_code_path_message_rule_profile_and_entry()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var v = bundle.IndexOfVariant("BRAF");
        var observation = bundle.Resource<Observation>(v);
        var c = observation.ComponentIndex(Impress.Fhir.Fhir.Codes.AlleleFrequency);
        ((Quantity)observation.Component[c].Value!).Value = 3m;

        var outcome = fixture.Validator.Validate(bundle).ToOperationOutcome();

        var issue = Assert.Single(outcome.Issue, i => i.Details?.Coding.Any(x => x.Code == "allele-frequency-range") == true);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.Value, issue.Code);
        Assert.Equal($"Bundle.entry[{v}].resource.component[{c}].value", Assert.Single(issue.Expression));
        Assert.Equal(ValidationResult.RuleCodeSystem, issue.Details!.Coding[0].System);
        Assert.Contains("outside 0..1", issue.Details.Text);

        var context = issue.GetExtension(ImpressProfiles.ValidationIssueContext);
        Assert.NotNull(context);
        Assert.Equal(v, ((Integer)context.GetExtension("entryIndex")!.Value!).Value);
        Assert.Equal(bundle.Entry[v].FullUrl, ((FhirUri)context!.GetExtension("entryFullUrl")!.Value!).Value);
    }

    [Fact]
    public void Profile_issues_name_the_profile_in_the_context_extension()
    {
        var bundle = ValidatorFixture.ExampleReport();
        var r = bundle.IndexOf(x => x is DiagnosticReport);
        bundle.Resource<DiagnosticReport>(r).Subject = null;

        var outcome = fixture.Validator.Validate(bundle).ToOperationOutcome();

        var issue = outcome.Issue.First(i => i.Severity == OperationOutcome.IssueSeverity.Error);
        var context = issue.GetExtension(ImpressProfiles.ValidationIssueContext);
        Assert.Equal(ImpressProfiles.GenomicReport, ((Canonical)context!.GetExtension("profile")!.Value!).Value);
    }

    [Fact]
    public void A_valid_instance_yields_one_information_issue()
    {
        var outcome = fixture.Validator.Validate(ValidatorFixture.ExampleReport()).ToOperationOutcome();

        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, issue.Severity);
    }

    [Fact]
    public void The_outcome_itself_conforms_to_the_core_specification_and_our_extension()
    {
        var bundle = ValidatorFixture.ExampleReport();
        bundle.Resource<Patient>(bundle.IndexOf(x => x is Patient)).Identifier[0].Value = "123";
        var outcome = fixture.Validator.Validate(bundle).ToOperationOutcome();

        var result = fixture.Validator.Validate(outcome);

        Assert.True(result.IsValid, result.Describe());
    }
}
