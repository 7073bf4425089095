using Impress.Fhir.Tso500;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Cli.Commands;

/// <summary>Writes an import's round-trip account for a lab engineer: section by section, then the bundle.</summary>
internal static class ImportSummaryWriter
{
    public static void Write(ImportSummary summary, ValidationResult validation, TextWriter output)
    {
        foreach (var file in summary.Sections.GroupBy(s => s.Source))
        {
            output.WriteLine($"{file.Key}:");
            foreach (var section in file)
            {
                output.WriteLine($"  {ImportSummary.Describe(section)}");
            }
        }

        var resources = string.Join(", ", summary.ResourcesByType.Select(r => $"{r.Value} {r.Key}"));
        output.WriteLine($"Report {summary.ReportId}: {summary.ResourcesByType.Values.Sum()} entries ({resources}); valid ({Count(validation.WarningCount, "warning")}).");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
