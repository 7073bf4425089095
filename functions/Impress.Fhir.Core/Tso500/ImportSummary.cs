using Hl7.Fhir.Model;

namespace Impress.Fhir.Tso500;

/// <summary>
/// The round-trip account of an import: per file and section what was read and what the report carries, the
/// warnings, and the resources of the bundle by type.
/// </summary>
public sealed record ImportSummary(
    string ReportId,
    IReadOnlyList<SectionAccount> Sections,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, int> ResourcesByType)
{
    /// <summary>The account as an OperationOutcome of information issues (and warnings), for the HTTP operation.</summary>
    public OperationOutcome ToOperationOutcome()
    {
        var outcome = new OperationOutcome();
        foreach (var section in Sections)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = section.Shape == SectionShape.Unknown && section.Read > 0 ? OperationOutcome.IssueSeverity.Warning : OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Details = new CodeableConcept { Text = Describe(section) },
                Location = [$"{section.Source}:{section.Line}"],
            });
        }

        foreach (var warning in Warnings)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Warning,
                Code = OperationOutcome.IssueType.Informational,
                Details = new CodeableConcept { Text = warning },
            });
        }

        outcome.Issue.Add(new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Information,
            Code = OperationOutcome.IssueType.Informational,
            Details = new CodeableConcept { Text = $"Report {ReportId}: {string.Join(", ", ResourcesByType.Select(r => $"{r.Value} {r.Key}"))}." },
        });
        return outcome;
    }

    /// <summary>One line of the account: "[Small Variants] 37 rows: 37 imported".</summary>
    public static string Describe(SectionAccount section)
    {
        var unit = section.Shape == SectionShape.Fields ? "field" : section.Shape == SectionShape.Rows ? "row" : "line";
        var text = $"[{section.Section}] {section.Read} {unit}{(section.Read == 1 ? "" : "s")}: {section.Imported} imported";
        if (section.Empty > 0)
        {
            text += $", {section.Empty} NA";
        }

        if (section.Shape == SectionShape.Unknown && section.Read > 0)
        {
            text += $", {section.Read} not imported (unknown section)";
        }

        if (section.NotImported.Count > 0)
        {
            text += $"; {(section.Shape == SectionShape.Rows ? "columns" : "fields")} not carried: {string.Join(", ", section.NotImported)}";
        }

        return text;
    }
}
