using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Report;

/// <summary>What every resource of one report refers to: its patient, specimen, performing organisation and time.</summary>
internal sealed record ReportContext(
    string PatientUrl,
    string SpecimenUrl,
    string OrganizationUrl,
    DateTimeOffset Issued,
    GenePanel? Panel,
    Tso500ImportOptions Options);
