using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Validation;

/// <summary>The outcome of validating one instance.</summary>
public sealed class ValidationResult
{
    /// <summary>The system of the IMPRESS rule codes in <c>OperationOutcome.issue.details</c>.</summary>
    public const string RuleCodeSystem = ImpressProfiles.Canonical + "/CodeSystem/validation-rule";

    /// <summary>The system the SDK's parser and validator use for their issue codes.</summary>
    public const string SdkCodeSystem = "http://hl7.org/fhir/dotnet-api-operation-outcome";

    public ValidationResult(IReadOnlyList<ValidationIssue> issues) => Issues = issues;

    public IReadOnlyList<ValidationIssue> Issues { get; }

    public bool IsValid => !Issues.Any(i => i.IsError);

    public int ErrorCount => Issues.Count(i => i.IsError);

    public int WarningCount => Issues.Count(i => i.Severity == OperationOutcome.IssueSeverity.Warning);

    /// <summary>
    /// The result as a FHIR OperationOutcome: one issue per problem with severity, code, the FHIRPath in
    /// <c>expression</c>, the message in <c>details.text</c>, the rule in <c>details.coding</c>, and the profile and
    /// bundle entry in the <c>validation-issue-context</c> extension. A valid instance yields a single
    /// information issue saying so, as the FHIR $validate operation expects.
    /// </summary>
    public OperationOutcome ToOperationOutcome()
    {
        var outcome = new OperationOutcome();
        foreach (var issue in Issues)
        {
            outcome.Issue.Add(ToComponent(issue));
        }

        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Details = new CodeableConcept { Text = "Validation found no problems." },
            });
        }

        return outcome;
    }

    private static OperationOutcome.IssueComponent ToComponent(ValidationIssue issue)
    {
        var component = new OperationOutcome.IssueComponent
        {
            Severity = issue.Severity,
            Code = issue.Code,
            Details = new CodeableConcept { Text = issue.Message },
        };
        if (issue.RuleId is { } rule)
        {
            component.Details.Coding.Add(new Coding(issue.RuleSystem ?? RuleCodeSystem, rule));
        }

        if (issue.Expression is { } expression)
        {
            component.Expression = [expression];
        }

        var context = new Extension { Url = ImpressProfiles.ValidationIssueContext };
        if (issue.Profile is { } profile)
        {
            context.Extension.Add(new Extension("profile", new Canonical(profile)));
        }

        if (issue.EntryIndex is { } index)
        {
            context.Extension.Add(new Extension("entryIndex", new Integer(index)));
        }

        if (issue.EntryFullUrl is { } fullUrl)
        {
            context.Extension.Add(new Extension("entryFullUrl", new FhirUri(fullUrl)));
        }

        if (context.Extension.Count > 0)
        {
            component.Extension.Add(context);
        }

        return component;
    }
}
