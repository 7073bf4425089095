using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Clinical;
using Impress.Fhir.Fhir;
using Impress.Fhir.Tso500;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// <c>POST [base]/$import-tso500</c>: a Parameters resource with the TSO500 file(s) as attachments and the fields
/// the files do not carry; answers with the report bundle and its account, and with <c>store</c> also stores it
/// as a transaction (so a resend of the same files is a replay, not a second report).
/// </summary>
public sealed class Tso500ImportOperation(ImpressValidator validator, TransactionProcessor transactions, Tso500ImportOptions options, TimeProvider time)
{
    public const string Name = "import-tso500";
    public const string Definition = "http://impress-norway.no/fhir/OperationDefinition/import-tso500";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "dna", "rna", "patientIdentifier", "specimen", "specimenType", "diagnosis", "hospital", "hospitalName", "reportId", "store",
    };

    private readonly Tso500Importer _importer = new(validator.Panel, options);

    public async Task<FhirResult> ExecuteAsync(Resource body, bool returnRepresentation, CancellationToken cancellationToken)
    {
        if (body is not Parameters parameters)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"$import-tso500 takes a Parameters resource, not a {body.TypeName}.", "resourceType");
        }

        var (input, error) = Read(parameters);
        if (error is not null)
        {
            return error;
        }

        Tso500Import import;
        try
        {
            import = _importer.Import(input!.Dna, input.Rna, input.Request, time.GetUtcNow());
        }
        catch (Tso500FormatException bad)
        {
            // The message names the parameter (the file's name here) first, then the line and section.
            return FhirResult.Error(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.Invalid,
                $"{bad.Message} Nothing was stored.", Expression(bad.File, "valueAttachment.data"));
        }

        var bundle = import.Report.Bundle;
        var output = new Parameters();
        output.Add("bundle", bundle);
        if (input.Store)
        {
            // The bundle in the answer is the report as read from the files; the one stored gets ids and references.
            var json = FhirJson.SerializeToUtf8Bytes(bundle);
            var stored = await transactions.ProcessAsync(new FhirDocument((Bundle)bundle.DeepCopy(), []), json, returnRepresentation, cancellationToken);
            if (!stored.IsSuccess)
            {
                return stored;
            }

            output.Add("response", stored.Resource!);
        }
        else if (validator.Validate(bundle) is { IsValid: false } invalid)
        {
            // A file the reader accepted should always make a valid report: this is the importer's fault, said plainly.
            return FhirResult.Error(HttpStatusCode.UnprocessableEntity, invalid.ToOperationOutcome());
        }

        output.Add("summary", import.Summary.ToOperationOutcome());
        return new FhirResult { Status = HttpStatusCode.OK, Resource = output };
    }

    private static (ImportInput? Input, FhirResult? Error) Read(Parameters parameters)
    {
        if (parameters.Parameter.FirstOrDefault(p => p.Name is null || !Known.Contains(p.Name)) is { } unknown)
        {
            return Problem($"'{unknown.Name}' is not a parameter of $import-tso500 (it takes {string.Join(", ", Known)}).", unknown.Name);
        }

        if (parameters.Parameter.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            return Problem($"The parameter '{repeated.Key}' is given {repeated.Count()} times; it takes one value.", repeated.Key);
        }

        var dna = Attachment(parameters, "dna", out var dnaError);
        var rna = Attachment(parameters, "rna", out var rnaError);
        if ((dnaError ?? rnaError) is { } attachmentError)
        {
            return (null, attachmentError);
        }

        if (dna is null && rna is null)
        {
            return Problem("Give the DNA file ('dna'), the RNA file ('rna'), or both, as attachments with the file in Attachment.data.", "dna");
        }

        var texts = new Dictionary<string, string?>();
        foreach (var name in new[] { "patientIdentifier", "specimen", "specimenType", "diagnosis", "hospital", "hospitalName", "reportId" })
        {
            var (text, error) = Text(parameters, name);
            if (error is not null)
            {
                return (null, error);
            }

            texts[name] = text;
        }

        var store = false;
        if (parameters.Parameter.FirstOrDefault(p => p.Name == "store") is { } storeParameter)
        {
            if (storeParameter.Value is not FhirBoolean { Value: { } flag })
            {
                return Problem("The parameter 'store' takes a valueBoolean.", "store");
            }

            store = flag;
        }

        var (request, problems) = Tso500ImportRequest.Parse(texts["patientIdentifier"], texts["specimen"], texts["specimenType"], texts["diagnosis"], texts["hospital"], texts["hospitalName"], texts["reportId"]);
        if (request is null)
        {
            var outcome = new OperationOutcome();
            foreach (var (field, problem) in problems)
            {
                var name = NameOf(field);
                outcome.Issue.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Error,
                    Code = problem.StartsWith("is required", StringComparison.Ordinal) ? OperationOutcome.IssueType.Required : OperationOutcome.IssueType.Value,
                    Details = new CodeableConcept { Text = $"The parameter '{name}' {problem}" },
                    Expression = [Expression(name)],
                });
            }

            return (null, FhirResult.Error(HttpStatusCode.BadRequest, outcome));
        }

        return (new ImportInput(dna is null ? null : new Tso500Input("dna", dna), rna is null ? null : new Tso500Input("rna", rna), request, store), null);
    }

    private static byte[]? Attachment(Parameters parameters, string name, out FhirResult? error)
    {
        error = null;
        if (parameters.Parameter.FirstOrDefault(p => p.Name == name) is not { } parameter)
        {
            return null;
        }

        if (parameter.Value is not Hl7.Fhir.Model.Attachment attachment)
        {
            error = Problem($"The parameter '{name}' takes a valueAttachment holding the CombinedVariantOutput.tsv.", name).Error;
            return null;
        }

        if (attachment.Data is not { Length: > 0 } data)
        {
            error = Problem(attachment.Url is not null
                ? $"The '{name}' attachment points to a url; this server takes the file itself, base64 in Attachment.data."
                : $"The '{name}' attachment has no data; put the file, base64-encoded, in Attachment.data.", name, "valueAttachment.data").Error;
            return null;
        }

        return data;
    }

    /// <summary>A parameter's value as text: string, code, Identifier (its value) or Coding (its code), per the OperationDefinition.</summary>
    private static (string? Text, FhirResult? Error) Text(Parameters parameters, string name)
    {
        if (parameters.Parameter.FirstOrDefault(p => p.Name == name) is not { } parameter)
        {
            return (null, null);
        }

        return parameter.Value switch
        {
            FhirString text => (text.Value, null),
            Code code => (code.Value, null),
            Identifier identifier when name is "patientIdentifier" && identifier.System is not null && identifier.System != NorwegianIdentifierSystems.NationalIdentityNumber && identifier.System != NorwegianIdentifierSystems.DNumber =>
                (null, Problem($"The patientIdentifier's system is '{identifier.System}'; IMPRESS patients are identified by fødselsnummer ({NorwegianIdentifierSystems.NationalIdentityNumber}) or D-number ({NorwegianIdentifierSystems.DNumber}).", name, "valueIdentifier.system").Error),
            Identifier identifier when name is "patientIdentifier" or "specimen" or "hospital" => (identifier.Value, null),
            Coding coding when name is "diagnosis" && (coding.System is null || coding.System == Icd10Code.System) => (coding.Code, null),
            Coding coding when name is "diagnosis" => (null, Problem($"The diagnosis is coded in '{coding.System}'; it must be ICD-10 ({Icd10Code.System}).", name, "valueCoding.system").Error),
            _ => (null, Problem($"The parameter '{name}' takes a valueString.", name).Error),
        };
    }

    private static (ImportInput? Input, FhirResult Error) Problem(string message, string? name, string? element = null) =>
        (null, FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, message, Expression(name, element)));

    private static string Expression(string? name, string? element = null) =>
        $"Parameters.parameter.where(name = '{name}')" + (element is null ? "" : "." + element);

    private static string NameOf(Tso500RequestField field) => field switch
    {
        Tso500RequestField.PatientIdentifier => "patientIdentifier",
        Tso500RequestField.Specimen => "specimen",
        Tso500RequestField.SpecimenType => "specimenType",
        Tso500RequestField.Diagnosis => "diagnosis",
        Tso500RequestField.Hospital => "hospital",
        _ => "reportId",
    };

    private sealed record ImportInput(Tso500Input? Dna, Tso500Input? Rna, Tso500ImportRequest Request, bool Store);
}
