using Hl7.Fhir.Model;
using Impress.Fhir.Clinical;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;
using Impress.Fhir.Norway;
using Impress.Fhir.Profiles;
using Impress.Fhir.Tso500.Findings;

namespace Impress.Fhir.Tso500.Report;

/// <summary>
/// Builds the IMPRESS transaction bundle of one TSO500 report: the hospital, patient, specimen and diagnosis as
/// conditional creates (a second report of the same patient finds them), one Observation per result, and the
/// DiagnosticReport naming them all. The same input gives the same bundle, byte for byte: its fullUrls are
/// name-based UUIDs of the report identifier, so a resend is recognised by the server as a replay.
/// </summary>
public sealed class ReportBundleBuilder(GenePanel? panel, Tso500ImportOptions options)
{
    private static readonly Guid UrlNamespace = new("5b7e9d3c-2f41-4c8a-9a57-6d1f0b2e8c44");

    /// <summary>The report identifier a request gets when it names none: the sample pair's, within the hospital.</summary>
    public static string DefaultReportId(string pairId) => "TSO500-" + pairId;

    public ReportBundle Build(Tso500Results results, Tso500ImportRequest request, DateTimeOffset importTime)
    {
        var hospital = request.Hospital.Value;
        var reportId = request.ReportId ?? DefaultReportId(results.PairId
            ?? throw new InvalidOperationException("A report needs a Pair ID or sample id, or a report id in the request."));
        var reportSystem = ImpressIdentifierSystems.ReportId(hospital);
        string Url(string part) => NameBasedGuid.Urn(UrlNamespace, $"{reportSystem}|{reportId}|{part}");

        var organizationUrl = Url("organization");
        var patientUrl = Url("patient");
        var specimenUrl = Url("specimen");
        var context = new ReportContext(patientUrl, specimenUrl, organizationUrl, results.OutputTime ?? importTime, panel, options);
        var observations = new FindingObservations(context);

        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(Entry(organizationUrl, Organization(request), $"identifier={NorwegianIdentifierSystems.OrganizationNumber}|{hospital}"));
        var (patient, patientSearch) = Patient(request, organizationUrl);
        bundle.Entry.Add(Entry(patientUrl, patient, patientSearch));
        bundle.Entry.Add(Entry(specimenUrl, Specimen(request, patientUrl), $"identifier={ImpressIdentifierSystems.SampleId(hospital)}|{request.SpecimenId}"));
        bundle.Entry.Add(Entry(Url("condition"), Condition(request, patientUrl), $"identifier={ImpressIdentifierSystems.SampleDiagnosis(hospital)}|{request.SpecimenId}"));

        var resultReferences = new List<ResourceReference>();
        var written = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (finding, index) in results.Findings.Select((f, i) => (f, i)))
        {
            var url = Url($"result/{index}");
            string? sequenceUrl = null;
            if (finding is SmallVariant small)
            {
                sequenceUrl = Url($"sequence/{index}");
                bundle.Entry.Add(Entry(sequenceUrl, observations.Sequence(small)));
            }

            var observation = finding switch
            {
                SmallVariant variant => observations.SmallVariant(variant, sequenceUrl),
                CopyNumberChange change => observations.CopyNumber(change),
                SpliceVariant splice => observations.Splice(splice),
                Fusion fusion => observations.Fusion(fusion),
                LargeRearrangement rearrangement => observations.Rearrangement(rearrangement),
                TumorMutationalBurden tmb => observations.Tmb(tmb),
                MicrosatelliteInstability msi => observations.Msi(msi),
                GenomicInstability gis => observations.Gis(gis),
                _ => throw new InvalidOperationException($"No Observation for a {finding.GetType().Name}."),
            };
            bundle.Entry.Add(Entry(url, observation));
            resultReferences.Add(new ResourceReference(url));
            written[finding.Section] = written.GetValueOrDefault(finding.Section) + 1;
        }

        var report = Report(results, request, reportSystem, reportId, context, resultReferences);
        bundle.Entry.Add(Entry(Url("report"), report));
        return new ReportBundle(bundle, reportSystem, reportId, written);
    }

    private static Organization Organization(Tso500ImportRequest request) => new()
    {
        Identifier = [new Identifier(NorwegianIdentifierSystems.OrganizationNumber, request.Hospital.Value)],
        Active = true,
        Name = request.HospitalName,
    };

    private static (Patient Patient, string Search) Patient(Tso500ImportRequest request, string organizationUrl)
    {
        var system = request.Patient.Kind == NorwegianIdentityNumberKind.DNumber ? NorwegianIdentifierSystems.DNumber : NorwegianIdentifierSystems.NationalIdentityNumber;
        var patient = new Patient
        {
            Meta = new Meta { Profile = [ImpressProfiles.Patient] },
            Identifier = [new Identifier(system, request.Patient.Value) { Use = Identifier.IdentifierUse.Official }],
            // The number encodes the birth date; age is an inclusion criterion of the trial.
            BirthDate = request.Patient.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ManagingOrganization = new ResourceReference(organizationUrl),
        };
        return (patient, $"identifier={system}|{request.Patient.Value}");
    }

    private static Specimen Specimen(Tso500ImportRequest request, string patientUrl) => new()
    {
        Meta = new Meta { Profile = [ImpressProfiles.Specimen] },
        Text = NarrativeText.Of($"{SpecimenTypes.Display(request.SpecimenType)}, sample {request.SpecimenId}."),
        Identifier = [Assigned(ImpressIdentifierSystems.SampleId(request.Hospital.Value), request.SpecimenId, request.Hospital)],
        Status = Hl7.Fhir.Model.Specimen.SpecimenStatus.Available,
        Type = Concept.Coded(SpecimenTypes.System, SpecimenTypes.Code(request.SpecimenType), SpecimenTypes.Display(request.SpecimenType)),
        Subject = new ResourceReference(patientUrl),
    };

    private static Condition Condition(Tso500ImportRequest request, string patientUrl) => new()
    {
        Meta = new Meta { Profile = [ImpressProfiles.TumorDiagnosis] },
        Text = NarrativeText.Of($"Tumour diagnosis {request.Diagnosis} (ICD-10), the diagnosis sample {request.SpecimenId} was sequenced for."),
        Identifier = [Assigned(ImpressIdentifierSystems.SampleDiagnosis(request.Hospital.Value), request.SpecimenId, request.Hospital)],
        ClinicalStatus = Concept.Coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
        VerificationStatus = Concept.Coded("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
        Category = [Concept.Coded("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")],
        Code = Concept.Coded(Icd10Code.System, request.Diagnosis.Value),
        Subject = new ResourceReference(patientUrl),
    };

    private DiagnosticReport Report(Tso500Results results, Tso500ImportRequest request, string reportSystem, string reportId, ReportContext context, List<ResourceReference> observations)
    {
        var report = new DiagnosticReport
        {
            Meta = new Meta { Profile = [ImpressProfiles.GenomicReport] },
            Identifier = [Assigned(reportSystem, reportId, request.Hospital)],
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [Concept.Coded("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics")],
            Code = Concept.Coded(Codes.Loinc, Codes.GenomicReport, "Genetic analysis report"),
            Subject = new ResourceReference(context.PatientUrl),
            Issued = context.Issued,
            Performer = [new ResourceReference(context.OrganizationUrl)],
            Specimen = [new ResourceReference(context.SpecimenUrl)],
            Result = observations,
            Conclusion = ReportConclusion.Of(results, options),
        };
        report.Text = NarrativeText.Of(report.Conclusion);

        var ctDna = request.SpecimenType == SpecimenType.BloodCtDna;
        report.Extension.Add(new Extension(ImpressProfiles.SequencingMethodExtension, Concept.Coded(
            "http://impress-norway.no/fhir/CodeSystem/impress-sequencing-method",
            ctDna ? "tso500-ctdna" : "tso500",
            ctDna ? "Illumina TruSight Oncology 500 ctDNA" : "Illumina TruSight Oncology 500")));
        foreach (var file in results.Files.Where(f => !f.Output.Run.IsEmpty))
        {
            report.Extension.Add(SequencingRun(file.Output.Run));
        }

        return report;
    }

    private static Extension SequencingRun(RunDetails run)
    {
        var extension = new Extension { Url = ImpressProfiles.SequencingRunExtension };
        void Add(string url, DataType? value)
        {
            if (value is not null)
            {
                extension.Extension.Add(new Extension(url, value));
            }
        }

        Add("pairId", run.PairId is { } pair ? new FhirString(pair) : null);
        Add("dnaSampleId", run.DnaSampleId is { } dna ? new FhirString(dna) : null);
        Add("rnaSampleId", run.RnaSampleId is { } rna ? new FhirString(rna) : null);
        Add("pipelineVersion", run.PipelineVersion is { } pipeline ? new FhirString(pipeline) : null);
        Add("runName", run.RunName is { } name ? new FhirString(name) : null);
        Add("runDate", run.RunDate is { } date ? new Date(date.Year, date.Month, date.Day) : null);
        Add("instrument", run.Instrument is { } instrument ? new FhirString(instrument) : null);
        return extension;
    }

    private static Identifier Assigned(string system, string value, OrganizationNumber assigner) => new(system, value)
    {
        Assigner = new ResourceReference { Identifier = new Identifier(NorwegianIdentifierSystems.OrganizationNumber, assigner.Value) },
    };

    private static Bundle.EntryComponent Entry(string fullUrl, Resource resource, string? ifNoneExist = null) => new()
    {
        FullUrl = fullUrl,
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName, IfNoneExist = ifNoneExist },
    };
}

/// <summary>A report's transaction bundle, its identifier, and how many Observations each section became.</summary>
public sealed record ReportBundle(Bundle Bundle, string ReportSystem, string ReportId, IReadOnlyDictionary<string, int> WrittenBySection);
