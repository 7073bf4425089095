namespace Impress.Fhir.Profiles;

/// <summary>Canonical urls of the IMPRESS profiles and extensions.</summary>
public static class ImpressProfiles
{
    public const string Canonical = "http://impress-norway.no/fhir";
    public const string StructureDefinitionBase = Canonical + "/StructureDefinition/";

    public const string Patient = StructureDefinitionBase + "impress-patient";
    public const string Specimen = StructureDefinitionBase + "impress-specimen";
    public const string TumorDiagnosis = StructureDefinitionBase + "impress-tumor-diagnosis";
    public const string GenomicReport = StructureDefinitionBase + "impress-genomic-report";
    public const string Variant = StructureDefinitionBase + "impress-variant";
    public const string Tmb = StructureDefinitionBase + "impress-tmb";
    public const string Msi = StructureDefinitionBase + "impress-msi";
    public const string Gis = StructureDefinitionBase + "impress-gis";
    public const string MolecularSequence = StructureDefinitionBase + "impress-molecular-sequence";
    public const string Cohort = StructureDefinitionBase + "impress-cohort";
    public const string Arm = StructureDefinitionBase + "impress-arm";
    public const string MatchExplanationExtension = StructureDefinitionBase + "match-explanation";
    public const string CohortExtension = StructureDefinitionBase + "cohort";
    public const string CarePlan = StructureDefinitionBase + "impress-careplan";
    public const string ResearchSubject = StructureDefinitionBase + "impress-research-subject";
    public const string ReviewTask = StructureDefinitionBase + "impress-review-task";
    public const string DeliveryTask = StructureDefinitionBase + "impress-delivery-task";
    public const string Week16OutcomeExtension = StructureDefinitionBase + "week16-outcome";
    public const string WorkflowCodeSystem = Canonical + "/CodeSystem/impress-workflow";

    public const string ValidationIssueContext = StructureDefinitionBase + "validation-issue-context";
    public const string SequencingMethodExtension = StructureDefinitionBase + "sequencing-method";
    public const string SequencingRunExtension = StructureDefinitionBase + "sequencing-run";

    public const string Tso500GenesValueSet = Canonical + "/ValueSet/impress-tso500-genes";

    /// <summary>Whether a canonical url belongs to our package's namespace.</summary>
    public static bool IsOurs(string canonical) => canonical.StartsWith(Canonical + "/", StringComparison.Ordinal);
}
