using Impress.Fhir.Clinical;
using Impress.Fhir.Norway;

namespace Impress.Fhir.Tso500;

/// <summary>What a TSO500 file does not say and the report needs: whose it is, from which sample, for which diagnosis, from which hospital.</summary>
public sealed record Tso500ImportRequest(
    NorwegianIdentityNumber Patient,
    string SpecimenId,
    SpecimenType SpecimenType,
    Icd10Code Diagnosis,
    OrganizationNumber Hospital,
    string? HospitalName = null,
    string? ReportId = null)
{
    /// <summary>
    /// Checks the request's fields as a user gives them. Every problem is returned with the field it concerns; a
    /// problem with the patient identifier never repeats the identifier.
    /// </summary>
    public static (Tso500ImportRequest? Request, IReadOnlyList<(Tso500RequestField Field, string Problem)> Problems) Parse(
        string? patientIdentifier, string? specimen, string? specimenType, string? diagnosis, string? hospital, string? hospitalName = null, string? reportId = null)
    {
        var problems = new List<(Tso500RequestField, string)>();

        var patientError = NorwegianIdentityNumber.TryParse(patientIdentifier?.Trim(), out var patient);
        if (string.IsNullOrWhiteSpace(patientIdentifier))
        {
            problems.Add((Tso500RequestField.PatientIdentifier, "is required: the patient's fødselsnummer or D-number."));
        }
        else if (patientError != NorwegianIdentityNumberError.None)
        {
            problems.Add((Tso500RequestField.PatientIdentifier, patientError switch
            {
                NorwegianIdentityNumberError.NotElevenDigits => "is not a fødselsnummer or D-number: those are 11 digits.",
                NorwegianIdentityNumberError.InvalidDate => "is not a fødselsnummer or D-number: its first six digits are not a birth date.",
                _ => "is not a fødselsnummer or D-number: its check digits are wrong (a typing error?).",
            }));
        }
        else if (patient.Kind == NorwegianIdentityNumberKind.HNumber)
        {
            problems.Add((Tso500RequestField.PatientIdentifier, "is an H-number (a hospital's help number); IMPRESS patients are identified by fødselsnummer or D-number."));
        }

        if (string.IsNullOrWhiteSpace(specimen))
        {
            problems.Add((Tso500RequestField.Specimen, "is required: the identifier of the sequenced sample (the pathology or biobank number)."));
        }
        else if (specimen.Trim().Length > 64 || specimen.Any(char.IsControl))
        {
            problems.Add((Tso500RequestField.Specimen, "is not a sample identifier (at most 64 printable characters)."));
        }

        var type = SpecimenType.TumorTissue;
        if (!string.IsNullOrWhiteSpace(specimenType) && !SpecimenTypes.TryParse(specimenType, out type))
        {
            problems.Add((Tso500RequestField.SpecimenType, $"is '{specimenType}', which is not a specimen type: {string.Join(", ", SpecimenTypes.Codes)}."));
        }

        if (string.IsNullOrWhiteSpace(diagnosis))
        {
            problems.Add((Tso500RequestField.Diagnosis, "is required: the tumour's ICD-10 code, such as C18.7."));
        }
        else if (!Icd10Code.TryParse(diagnosis, out _))
        {
            problems.Add((Tso500RequestField.Diagnosis, $"is '{diagnosis}', which is not an ICD-10 code such as C18.7."));
        }

        if (string.IsNullOrWhiteSpace(hospital))
        {
            problems.Add((Tso500RequestField.Hospital, "is required: the organisation number of the hospital (or its lab) that sends the report."));
        }
        else if (!OrganizationNumber.TryParse(hospital, out _))
        {
            problems.Add((Tso500RequestField.Hospital, $"is '{hospital}', which is not an organisation number: 9 digits with a valid check digit."));
        }

        if (reportId is not null && (reportId.Trim().Length is 0 or > 64 || reportId.Any(char.IsControl)))
        {
            problems.Add((Tso500RequestField.ReportId, "is not a report identifier (1-64 printable characters)."));
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        Icd10Code.TryParse(diagnosis, out var code);
        OrganizationNumber.TryParse(hospital, out var organization);
        return (new Tso500ImportRequest(patient, specimen!.Trim(), type, code, organization, string.IsNullOrWhiteSpace(hospitalName) ? null : hospitalName.Trim(), reportId?.Trim()), problems);
    }
}

/// <summary>The fields of <see cref="Tso500ImportRequest"/>, for naming the one at fault.</summary>
public enum Tso500RequestField
{
    PatientIdentifier,
    Specimen,
    SpecimenType,
    Diagnosis,
    Hospital,
    ReportId,
}

/// <summary>The IMPRESS specimen types (CodeSystem impress-specimen-type).</summary>
public enum SpecimenType
{
    TumorTissue,
    FreshFrozenTumor,
    BloodCtDna,
}

/// <summary>The codes and names of <see cref="SpecimenType"/>.</summary>
public static class SpecimenTypes
{
    public const string System = "http://impress-norway.no/fhir/CodeSystem/impress-specimen-type";

    public static IReadOnlyList<string> Codes { get; } = ["tumor-tissue", "fresh-frozen-tumor", "blood-ctdna"];

    public static string Code(SpecimenType type) => Codes[(int)type];

    public static string Display(SpecimenType type) => type switch
    {
        SpecimenType.TumorTissue => "Tumour tissue (FFPE)",
        SpecimenType.FreshFrozenTumor => "Fresh frozen tumour tissue",
        _ => "Blood for circulating tumour DNA",
    };

    public static bool TryParse(string text, out SpecimenType type)
    {
        var index = Codes.ToList().FindIndex(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase));
        type = index < 0 ? SpecimenType.TumorTissue : (SpecimenType)index;
        return index >= 0;
    }
}
