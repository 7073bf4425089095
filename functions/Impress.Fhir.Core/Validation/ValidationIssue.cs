using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation;

/// <summary>One problem found in an instance.</summary>
/// <param name="Severity">Fatal and error make the instance invalid; warning and information do not.</param>
/// <param name="Code">The FHIR issue type.</param>
/// <param name="Message">What is wrong, in words a lab engineer understands.</param>
/// <param name="Expression">The FHIRPath of the element, from the root of what was validated.</param>
/// <param name="Profile">The profile the element was checked against, where one applies.</param>
/// <param name="EntryIndex">The bundle entry the element is in, where the instance is a Bundle.</param>
/// <param name="EntryFullUrl">That entry's fullUrl.</param>
/// <param name="RuleId">Which check found it: an IMPRESS rule id, or the SDK's parser or validator code.</param>
/// <param name="RuleSystem">The code system of <paramref name="RuleId"/>; null for the IMPRESS rules.</param>
public sealed record ValidationIssue(
    OperationOutcome.IssueSeverity Severity,
    OperationOutcome.IssueType Code,
    string Message,
    string? Expression,
    string? Profile = null,
    int? EntryIndex = null,
    string? EntryFullUrl = null,
    string? RuleId = null,
    string? RuleSystem = null)
{
    public bool IsError => Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;
}
