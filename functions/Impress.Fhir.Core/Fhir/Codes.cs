namespace Impress.Fhir.Fhir;

/// <summary>Code systems and codes the IMPRESS profiles use (HL7 Genomics Reporting IG STU3, LOINC).</summary>
public static class Codes
{
    public const string Loinc = "http://loinc.org";
    public const string Hgnc = "http://www.genenames.org/geneId";
    public const string SequenceOntology = "http://www.sequenceontology.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string ImpressGenomics = "http://impress-norway.no/fhir/CodeSystem/impress-genomics";
    public const string VariantCategory = "http://impress-norway.no/fhir/CodeSystem/impress-variant-category";

    public const string GenomicReport = "51969-4";
    public const string Variant = "69548-6";
    public const string Tmb = "94076-7";
    public const string Msi = "81695-9";

    public const string GeneStudied = "48018-6";
    public const string CodingHgvs = "48004-6";
    public const string ProteinHgvs = "48005-3";
    public const string GenomicHgvs = "81290-9";
    public const string AlleleFrequency = "81258-6";

    /// <summary>The variant category component (impress-genomics).</summary>
    public const string VariantCategoryComponent = "variant-category";

    /// <summary>The genomic instability score (impress-genomics), the code of an impress-gis Observation.</summary>
    public const string GenomicInstabilityScore = "genomic-instability-score";
}

/// <summary>Norwegian identifier systems (HL7 Norway no-basis).</summary>
public static class NorwegianIdentifierSystems
{
    public const string NationalIdentityNumber = "urn:oid:2.16.578.1.12.4.1.4.1";
    public const string DNumber = "urn:oid:2.16.578.1.12.4.1.4.2";
    public const string OrganizationNumber = "urn:oid:2.16.578.1.12.4.1.4.101";
    public const string Resh = "urn:oid:2.16.578.1.12.4.1.4.102";
}

/// <summary>
/// Identifier systems of the IMPRESS namespace. Report and sample numbers are assigned by each hospital, so their
/// systems end with the hospital's organisation number: two hospitals' sample 123 are two samples.
/// </summary>
public static class ImpressIdentifierSystems
{
    private const string Base = "http://impress-norway.no/fhir/sid/";

    public static string ReportId(string organizationNumber) => Base + "report-id/" + organizationNumber;

    public static string SampleId(string organizationNumber) => Base + "sample-id/" + organizationNumber;

    /// <summary>The tumour diagnosis a sample was sequenced for, identified by the sample's number.</summary>
    public static string SampleDiagnosis(string organizationNumber) => Base + "sample-diagnosis/" + organizationNumber;
}
