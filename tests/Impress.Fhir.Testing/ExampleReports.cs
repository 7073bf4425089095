using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Testing;

/// <summary>The package's example report bundle, made into many patients' reports.</summary>
public static class ExampleReports
{
    /// <summary>
    /// The example report (BRAF V600E, ERBB2 amplification, EML4-ALK, MET exon 14; colorectal) as the <paramref name="n"/>th
    /// patient's, optionally from another hospital (its organisation number).
    /// </summary>
    public static Bundle OfPatient(int n, string icd10 = "C18.7", string? organizationNumber = null)
    {
        var bundle = (Bundle)FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource;
        var nationalId = SyntheticIdentities.NationalId(n);
        foreach (var entry in bundle.Entry)
        {
            switch (entry.Resource)
            {
                case Patient patient:
                    patient.Identifier[0].Value = nationalId;
                    entry.Request!.IfNoneExist = $"identifier={patient.Identifier[0].System}|{nationalId}";
                    break;
                case DiagnosticReport report:
                    report.Identifier[0].Value += $"-{n}";
                    break;
                case Specimen specimen:
                    specimen.Identifier[0].Value += $"-{n}";
                    break;
                case Condition condition:
                    condition.Code!.Coding[0].Code = icd10;
                    break;
                case Organization organization when organizationNumber is not null:
                    organization.Identifier[0].Value = organizationNumber;
                    if (entry.Request is { } request)
                    {
                        request.IfNoneExist = $"identifier={organization.Identifier[0].System}|{organizationNumber}";
                    }

                    break;
            }
        }

        return bundle;
    }
}
