using Hl7.Fhir.Model;

namespace Impress.Fhir.Api.Audit;

/// <summary>The codes of the IHE Basic Audit Log Patterns (BALP) the server's AuditEvents use.</summary>
public static class AuditCodes
{
    public static Coding RestType => new("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation");

    /// <summary>Data leaving the server: an export, a subscription notification.</summary>
    public static Coding ExportType => new("http://dicom.nema.org/resources/ontology/DCM", "110106", "Export");

    public static Coding Interaction(string code) => new("http://hl7.org/fhir/restful-interaction", code);

    public static CodeableConcept SourceRole => new("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID");

    public static CodeableConcept DestinationRole => new("http://dicom.nema.org/resources/ontology/DCM", "110152", "Destination Role ID");

    public static Coding ApplicationServer => new("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server");

    public static Coding SystemObject => new("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object");

    public static Coding Person => new("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person");

    public static Coding PatientRole => new("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient");

    public static Coding DomainResource => new("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource");

    public static Coding QueryRole => new("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query");

    /// <summary>The system of the identifiers that name a Bulk Data export job by its id.</summary>
    public const string ExportJobSystem = "urn:impress:export-job";
}
