using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// Every result of a genomic report is about the report's patient: an Observation filed under another patient
/// would put a variant in the wrong person's record. The report's specimens and sequences must be too.
/// </summary>
public sealed class ReportSubjectRule : IValidationRule
{
    public string Id => "subject-is-report-patient";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var reportEntry in target.EntriesOf<DiagnosticReport>())
        {
            var report = (DiagnosticReport)reportEntry.Resource;
            if (report.Subject?.Reference is not { Length: > 0 } subject)
            {
                continue;
            }

            var patient = Key(target, subject);
            CheckAll(target, issues, reportEntry, patient, report.Result, "result");
            CheckAll(target, issues, reportEntry, patient, report.Specimen, "specimen");
        }
    }

    private void CheckAll(ValidationTarget target, ICollection<ValidationIssue> issues, ValidationEntry reportEntry, string patient, List<ResourceReference> references, string element)
    {
        foreach (var reference in references)
        {
            if (reference.Reference is not { Length: > 0 } literal || target.Resolve(literal) is not { } entry)
            {
                continue;
            }

            var (subject, path) = entry.Resource switch
            {
                Observation o => (o.Subject, "subject"),
                Specimen s => (s.Subject, "subject"),
                _ => (null, ""),
            };
            if (subject?.Reference is { Length: > 0 } own && Key(target, own) != patient)
            {
                issues.Add(this.Error(entry, path,
                    $"The {entry.Resource.TypeName}'s subject is not the patient of the DiagnosticReport in {RuleIssues.Describe(reportEntry)} that lists it as a {element}.",
                    OperationOutcome.IssueType.BusinessRule));
            }

            if (entry.Resource is Observation observation)
            {
                foreach (var (sequence, index) in observation.DerivedFrom.Select((r, i) => (r, i)))
                {
                    if (sequence.Reference is { Length: > 0 } s && target.Resolve(s) is { Resource: MolecularSequence ms } msEntry
                        && ms.Patient?.Reference is { Length: > 0 } msPatient && Key(target, msPatient) != patient)
                    {
                        issues.Add(this.Error(msEntry, "patient",
                            $"The MolecularSequence's patient is not the patient of the report in {RuleIssues.Describe(reportEntry)} (via derivedFrom[{index}] of {RuleIssues.Describe(entry)}).",
                            OperationOutcome.IssueType.BusinessRule));
                    }
                }
            }
        }
    }

    /// <summary>Two references name the same patient when they resolve to the same entry, or else are the same text.</summary>
    private static string Key(ValidationTarget target, string reference) =>
        target.Resolve(reference) is { } entry ? $"#entry{entry.Index}" : reference;
}
