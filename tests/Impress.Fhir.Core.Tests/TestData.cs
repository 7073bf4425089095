using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests;

internal static class TestData
{
    /// <summary>The index of the first entry whose resource matches.</summary>
    public static int IndexOf(this Bundle bundle, Func<Resource, bool> match) =>
        bundle.Entry.FindIndex(e => e.Resource is { } r && match(r));

    public static int IndexOfVariant(this Bundle bundle, string geneSymbol) =>
        bundle.IndexOf(r => r is Observation o && o.Component.Any(c => c.Code.Coding.Any(x => x.Code == Codes.GeneStudied)
            && c.Value is CodeableConcept gene && gene.Coding.Any(g => g.Display == geneSymbol)));

    public static T Resource<T>(this Bundle bundle, int index) where T : Resource => (T)bundle.Entry[index].Resource!;

    public static int ComponentIndex(this Observation observation, string code) =>
        observation.Component.FindIndex(c => c.Code.Coding.Any(x => x.Code == code));

    public static string? WithCheckDigits(string nineDigits) => SyntheticIdentities.WithCheckDigits(nineDigits);

    /// <summary>A valid number from a birth date part (DDMMYY, already shifted for D/H/synthetic) and any free individual number.</summary>
    public static string ValidNumber(string ddmmyy) =>
        Enumerable.Range(100, 399).Select(i => WithCheckDigits(ddmmyy + i.ToString("000"))).First(n => n is not null)!;

    public static string Describe(this ValidationResult result) =>
        string.Join("\n", result.Issues.Select(i => $"{i.Severity} [{i.RuleId}] {i.Expression}: {i.Message}"));

    /// <summary>Asserts one issue with this rule at exactly this FHIRPath, and returns it.</summary>
    public static ValidationIssue AssertIssue(this ValidationResult result, string ruleId, string expression, OperationOutcome.IssueSeverity severity = OperationOutcome.IssueSeverity.Error)
    {
        var issue = result.Issues.FirstOrDefault(i => i.RuleId == ruleId && i.Expression == expression);
        Assert.True(issue is not null, $"Expected [{ruleId}] at {expression}; got:\n{result.Describe()}");
        Assert.Equal(severity, issue!.Severity);
        return issue;
    }
}
