using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Cli.Commands;

/// <summary>The validation of one file: its result, or why it could not be read.</summary>
internal sealed record FileReport(string Path, string? ResourceType, ValidationResult? Result, string? Unreadable)
{
    public bool IsValid => Result?.IsValid == true;

    public OperationOutcome Outcome => Result?.ToOperationOutcome() ?? new OperationOutcome
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Fatal,
                Code = OperationOutcome.IssueType.Structure,
                Details = new CodeableConcept { Text = Unreadable },
            },
        ],
    };

    public static FileReport Validate(string path, ImpressValidator validator)
    {
        FhirDocument document;
        try
        {
            document = FhirJsonReader.Default.Read(File.ReadAllBytes(path));
        }
        catch (UnreadableDocumentException e)
        {
            return new FileReport(path, null, null, e.Message);
        }

        return new FileReport(path, document.Resource.TypeName, validator.Validate(document), null);
    }
}
