using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
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

    /// <summary>Completes nine digits with the two mod-11 check digits, or null where no valid number exists.</summary>
    public static string? WithCheckDigits(string nineDigits)
    {
        int[] w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
        int[] w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var digits = nineDigits.Select(c => c - '0').ToList();
        foreach (var weights in new[] { w1, w2 })
        {
            var check = 11 - (digits.Select((d, i) => d * weights[i]).Sum() % 11);
            if (check == 10)
            {
                return null;
            }

            digits.Add(check == 11 ? 0 : check);
        }

        return string.Concat(digits);
    }

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
