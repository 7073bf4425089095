using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Cli.Commands;

/// <summary>Writes a validation result as lines a lab engineer reads at a terminal.</summary>
internal static class ValidationTextWriter
{
    public static void Write(FileReport report, TextWriter output)
    {
        if (report.Unreadable is not null)
        {
            output.WriteLine($"{report.Path}: unreadable: {report.Unreadable}");
            return;
        }

        var result = report.Result!;
        var verdict = result.IsValid ? "valid" : "INVALID";
        output.WriteLine($"{report.Path}: {report.ResourceType} {verdict} ({Count(result.ErrorCount, "error")}, {Count(result.WarningCount, "warning")})");
        foreach (var issue in result.Issues.Where(i => i.Severity != OperationOutcome.IssueSeverity.Information))
        {
            var severity = issue.Severity.ToString().ToLowerInvariant();
            output.WriteLine($"  {severity,-7} {issue.Expression ?? "(resource)"}");
            output.WriteLine($"          {issue.Message}");
            var context = new List<string>();
            if (issue.EntryIndex is { } index)
            {
                context.Add($"entry {index}{(issue.EntryFullUrl is { } url ? " " + url : "")}");
            }

            if (issue.Profile is { } profile)
            {
                context.Add("profile " + (ImpressProfiles.IsOurs(profile) ? profile[ImpressProfiles.StructureDefinitionBase.Length..] : profile));
            }

            if (issue.RuleId is { } rule)
            {
                context.Add("rule " + rule);
            }

            if (context.Count > 0)
            {
                output.WriteLine($"          ({string.Join("; ", context)})");
            }
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
