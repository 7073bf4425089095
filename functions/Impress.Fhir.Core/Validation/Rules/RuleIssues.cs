using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Rules;

internal static class RuleIssues
{
    public static ValidationIssue Error(this IValidationRule rule, ValidationEntry entry, string relativePath, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Value) =>
        new(OperationOutcome.IssueSeverity.Error, code, message, entry.PathOf(relativePath), null, entry.Index, entry.FullUrl, rule.Id);

    public static ValidationIssue Warning(this IValidationRule rule, ValidationEntry entry, string relativePath, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Value) =>
        new(OperationOutcome.IssueSeverity.Warning, code, message, entry.PathOf(relativePath), null, entry.Index, entry.FullUrl, rule.Id);

    /// <summary>Names an entry the way a lab engineer finds it in the file: "entry 3 (Observation, urn:uuid:…)".</summary>
    public static string Describe(ValidationEntry entry) =>
        entry.Index is { } i
            ? $"entry {i} ({entry.Resource.TypeName}{(entry.FullUrl is { } url ? ", " + url : "")})"
            : entry.Resource.TypeName;
}
