using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Clinical;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;
using Impress.Fhir.Matching.Rules;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Matching.Patients;

/// <summary>
/// Reads a patient's profile for matching from FHIR resources: a report bundle as posted, or the patient's stored
/// resources. The latest genomic report decides which results count; the diagnosis is the neoplasm Condition of
/// the report's specimen when there is one, else the latest.
/// </summary>
public sealed class PatientProfileReader(GenePanel? panel)
{
    public const string EcogLoinc = "89247-1";
    private const string NorwegianIcd10 = "urn:oid:2.16.578.1.12.4.1.1.7110";
    private static readonly string[] EcogAnswers = ["LA9622-7", "LA9623-5", "LA9624-3", "LA9625-0", "LA9626-8", "LA9627-6"];

    /// <summary>One profile per patient a report in the bundle is about; references are the entries' fullUrls.</summary>
    public IReadOnlyList<PatientProfile> FromBundle(Bundle bundle, DateOnly today)
    {
        var resources = bundle.Entry.Where(e => e.Resource is not null)
            .Select(e => (Reference: e.FullUrl ?? $"{e.Resource!.TypeName}/{e.Resource.Id}", Resource: e.Resource!))
            .ToList();
        var patients = resources.Where(r => r.Resource is DiagnosticReport).Select(r => ((DiagnosticReport)r.Resource).Subject?.Reference).OfType<string>().Distinct().ToList();
        if (patients.Count == 0)
        {
            patients = resources.Where(r => r.Resource is Patient).Select(r => r.Reference).ToList();
        }

        return patients.Select(p => FromResources(p, resources, today)).ToList();
    }

    /// <summary>The profile of <paramref name="patient"/> from resources, each with the reference it is known by.</summary>
    public PatientProfile FromResources(string patient, IReadOnlyList<(string Reference, Resource Resource)> resources, DateOnly today)
    {
        bool About(ResourceReference? subject) => subject?.Reference == patient;
        var report = resources.Where(r => r.Resource is DiagnosticReport d && About(d.Subject))
            .OrderByDescending(r => ((DiagnosticReport)r.Resource).Issued ?? DateTimeOffset.MinValue)
            .Select(r => ((string Reference, DiagnosticReport Report)?)(r.Reference, (DiagnosticReport)r.Resource))
            .FirstOrDefault();
        var results = report?.Report.Result.Select(r => r.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var observations = resources.Where(r => r.Resource is Observation o && About(o.Subject) && (results is null || results.Contains(r.Reference) || IsEcog(o)))
            .Select(r => (r.Reference, Observation: (Observation)r.Resource))
            .Where(o => o.Observation.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled))
            .ToList();

        var variants = observations.Where(o => HasCode(o.Observation.Code, Codes.Loinc, Codes.Variant) && IsPresent(o.Observation))
            .Select(o => Variant(o.Reference, o.Observation)).ToList();
        var (dna, rna) = Assays(report?.Report, variants, observations);
        return new PatientProfile
        {
            Patient = patient,
            Report = report?.Reference,
            Diagnosis = Diagnosis(patient, resources, report?.Report, out var morphology),
            Morphology = morphology,
            AgeYears = Age(resources.FirstOrDefault(r => r.Reference == patient || (r.Resource is Patient && $"Patient/{r.Resource.Id}" == patient)), today),
            Ecog = Ecog(observations),
            Tmb = Quantity(observations, Codes.Loinc, Codes.Tmb, value => $"TMB {RuleText.Number(value)} mutations/Mb"),
            Msi = Msi(observations),
            Gis = Quantity(observations, Codes.ImpressGenomics, Codes.GenomicInstabilityScore, value => $"genomic instability score {RuleText.Number(value)}"),
            DnaSequenced = dna,
            RnaSequenced = rna,
            Variants = variants,
        };
    }

    private VariantFeature Variant(string evidence, Observation observation)
    {
        var genes = new List<string>();
        VariantKind? kind = null;
        ProteinChange? protein = null;
        var consequences = new List<string>();
        string? exons = null, variation = null, coding = null, chromosome = null, reference = null, alternative = null;
        decimal? start = null;
        decimal? fold = null, copies = null, frequency = null;
        GenomicOrigin? origin = null;
        foreach (var component in observation.Component)
        {
            var code = component.Code?.Coding.FirstOrDefault()?.Code;
            switch (code, component.Value)
            {
                case (Codes.GeneStudied, CodeableConcept gene) when GeneSymbol(gene) is { } symbol:
                    genes.Add(symbol);
                    break;
                case (Codes.VariantCategoryComponent, CodeableConcept category):
                    kind = KindOf(category.Coding.FirstOrDefault(c => c.System == Codes.VariantCategory)?.Code);
                    break;
                case (Codes.ProteinHgvs, CodeableConcept hgvs):
                    ProteinChange.TryParse(hgvs.Coding.FirstOrDefault()?.Code ?? hgvs.Text, out protein);
                    break;
                case (Codes.CodingHgvs, CodeableConcept hgvs):
                    coding = hgvs.Coding.FirstOrDefault()?.Code ?? hgvs.Text;
                    break;
                case ("molecular-consequence", CodeableConcept consequence):
                    consequences.AddRange(consequence.Coding.Select(c => c.Display ?? c.Code).Concat([consequence.Text]).OfType<string>().Where(t => SequenceOntology.TryGetId(t, out _)));
                    break;
                case ("affected-exons", FhirString text):
                    exons = text.Value;
                    break;
                case ("fold-change", Quantity quantity):
                    fold = quantity.Value;
                    break;
                case ("82155-3", Quantity quantity):
                    copies = quantity.Value;
                    break;
                case ("82155-3", Integer integer):
                    copies = integer.Value;
                    break;
                case (Codes.AlleleFrequency, Quantity quantity):
                    frequency = quantity.Value;
                    break;
                case ("48002-0", CodeableConcept source):
                    origin = source.Coding.Any(c => c.Code == "LA6683-2") ? GenomicOrigin.Germline : source.Coding.Any(c => c.Code == "LA6684-0") ? GenomicOrigin.Somatic : null;
                    break;
                case ("48000-4", CodeableConcept chromosomeConcept):
                    chromosome = chromosomeConcept.Coding.FirstOrDefault()?.Display ?? chromosomeConcept.Text;
                    break;
                case ("81254-5", Hl7.Fhir.Model.Range range):
                    start = range.Low?.Value;
                    break;
                case ("69547-8", FhirString allele):
                    reference = allele.Value;
                    break;
                case ("69551-0", FhirString allele):
                    alternative = allele.Value;
                    break;
                case ("81252-9", CodeableConcept variationCode):
                    variation = variationCode.Text ?? variationCode.Coding.FirstOrDefault()?.Display;
                    break;
            }
        }

        var resolved = kind ?? (genes.Count > 1 ? VariantKind.Fusion : VariantKind.Snv);
        genes = genes.Select(g => g.ToUpperInvariant()).Distinct().ToList();
        var position = start is { } at ? $"{chromosome ?? "position"} {RuleText.Number(at)}{(reference is not null && alternative is not null ? $" {reference}>{alternative}" : "")}" : null;
        return new VariantFeature(evidence, Display(resolved, genes, variation, protein, coding, fold, position), genes, resolved, protein, consequences, exons, fold, copies, origin, frequency);
    }

    private static string Display(VariantKind kind, List<string> genes, string? variation, ProteinChange? protein, string? coding, decimal? fold, string? position)
    {
        var gene = string.Join("-", genes);
        return kind switch
        {
            VariantKind.Fusion => $"{variation ?? gene} fusion",
            VariantKind.SpliceVariant => variation ?? $"{gene} splice variant",
            VariantKind.CopyNumberGain => (variation ?? $"{gene} copy number gain") + (fold is { } f ? $" (fold change {RuleText.Number(f)})" : ""),
            VariantKind.CopyNumberLoss or VariantKind.LargeRearrangement => variation ?? $"{gene} {(kind == VariantKind.CopyNumberLoss ? "copy number loss" : "rearrangement")}",
            _ when protein is not null => $"{gene} {protein}",
            _ when coding is not null => $"{gene} {coding[(coding.IndexOf(':') + 1)..]}".Trim(),
            _ => genes.Count > 0 ? $"{gene} variant" : position is not null ? $"variant at {position}" : "variant outside genes",
        };
    }

    private string? GeneSymbol(CodeableConcept gene)
    {
        var hgnc = gene.Coding.FirstOrDefault(c => c.System == Codes.Hgnc);
        if (hgnc?.Display is { Length: > 0 } display)
        {
            return display;
        }

        if (hgnc?.Code is { } id && panel is not null && panel.TryGetSymbol(id, out var symbol))
        {
            return symbol;
        }

        return gene.Text ?? gene.Coding.FirstOrDefault()?.Display;
    }

    private static VariantKind? KindOf(string? code) => code switch
    {
        "snv" => VariantKind.Snv,
        "mnv" => VariantKind.Mnv,
        "indel" => VariantKind.Indel,
        "copy-number-gain" => VariantKind.CopyNumberGain,
        "copy-number-loss" => VariantKind.CopyNumberLoss,
        "fusion" => VariantKind.Fusion,
        "splice-variant" => VariantKind.SpliceVariant,
        "large-rearrangement" => VariantKind.LargeRearrangement,
        _ => null,
    };

    /// <summary>
    /// Which libraries were sequenced: from the report's sequencing runs (a DNA or RNA sample id), or from what the
    /// report holds. A report that says nothing is taken to have both.
    /// </summary>
    private static (bool Dna, bool Rna) Assays(DiagnosticReport? report, List<VariantFeature> variants, List<(string Reference, Observation Observation)> observations)
    {
        var runs = report?.Extension.Where(e => e.Url == ImpressProfiles.SequencingRunExtension).ToList() ?? [];
        if (runs.Count == 0 || runs.All(r => r.GetExtension("dnaSampleId") is null && r.GetExtension("rnaSampleId") is null))
        {
            return (true, true);
        }

        var dna = runs.Any(r => r.GetExtension("dnaSampleId") is not null)
            || variants.Any(v => v.Kind is not (VariantKind.Fusion or VariantKind.SpliceVariant))
            || observations.Any(o => HasCode(o.Observation.Code, Codes.Loinc, Codes.Tmb) || HasCode(o.Observation.Code, Codes.Loinc, Codes.Msi));
        var rna = runs.Any(r => r.GetExtension("rnaSampleId") is not null) || variants.Any(v => v.Kind is VariantKind.Fusion or VariantKind.SpliceVariant);
        return (dna, rna);
    }

    private static Finding<string>? Diagnosis(string patient, IReadOnlyList<(string Reference, Resource Resource)> resources, DiagnosticReport? report, out Finding<string>? morphology)
    {
        morphology = null;
        var conditions = resources.Where(r => r.Resource is Condition c && c.Subject?.Reference == patient && Icd10Of(c) is { IsNeoplasm: true })
            .Select(r => (r.Reference, Condition: (Condition)r.Resource))
            .Where(c => c.Condition.VerificationStatus?.Coding.Any(x => x.Code is "refuted" or "entered-in-error") != true)
            .ToList();
        if (conditions.Count == 0)
        {
            return null;
        }

        // The import names the Condition by the specimen's sample number: the diagnosis the sample was sequenced for.
        var specimens = report?.Specimen.Select(s => s.Reference).ToHashSet() ?? [];
        var sampleIds = resources.Where(r => specimens.Contains(r.Reference) && r.Resource is Specimen)
            .SelectMany(r => ((Specimen)r.Resource).Identifier.Select(i => i.Value)).OfType<string>().ToHashSet();
        var (reference, condition) = conditions.FirstOrDefault(c => c.Condition.Identifier.Any(i => i.Value is { } v && sampleIds.Contains(v)));
        if (condition is null)
        {
            (reference, condition) = conditions.OrderByDescending(c => c.Condition.RecordedDate ?? c.Condition.Meta?.LastUpdated?.ToString("o", CultureInfo.InvariantCulture) ?? "").First();
        }

        var code = Icd10Of(condition)!.Value;
        var name = condition.Code?.Coding.FirstOrDefault(c => c.Code is not null && Icd10Code.TryParse(c.Code, out _))?.Display ?? condition.Code?.Text;
        var morphologyCode = (condition.GetExtensionValue<CodeableConcept>(ImpressProfiles.StructureDefinitionBase + "tumor-morphology"))?.Coding.FirstOrDefault();
        if (morphologyCode?.Code is { } m)
        {
            morphology = new Finding<string>(m, reference, $"morphology {m}{(morphologyCode.Display is { } md ? $" {md}" : "")}");
        }

        return new Finding<string>(code.Value, reference, name is null ? $"diagnosis {code.Value}" : $"diagnosis {code.Value} {name}");
    }

    private static Icd10Code? Icd10Of(Condition condition) =>
        condition.Code?.Coding.Where(c => c.System is Icd10Code.System or NorwegianIcd10)
            .Select(c => Icd10Code.TryParse(c.Code, out var code) ? code : (Icd10Code?)null)
            .FirstOrDefault(c => c is not null);

    private static Finding<int>? Age((string Reference, Resource Resource) patient, DateOnly today)
    {
        if (patient.Resource is not Patient { BirthDate: { Length: >= 4 } birth })
        {
            return null;
        }

        var year = int.Parse(birth[..4], CultureInfo.InvariantCulture);
        var born = birth.Length >= 10 && DateOnly.TryParseExact(birth[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : new DateOnly(year, 7, 1);
        var age = today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);
        return new Finding<int>(age, patient.Reference, $"age {age}");
    }

    private static Finding<int>? Ecog(List<(string Reference, Observation Observation)> observations)
    {
        foreach (var (reference, observation) in observations.Where(o => IsEcog(o.Observation)).OrderByDescending(o => o.Observation.Effective?.ToString() ?? ""))
        {
            int? score = observation.Value switch
            {
                Integer integer => integer.Value,
                Quantity quantity when quantity.Value is { } v => (int)v,
                CodeableConcept answer => answer.Coding.Select(c => Array.IndexOf(EcogAnswers, c.Code)).FirstOrDefault(i => i >= 0, -1) is var i and >= 0 ? i : null,
                _ => null,
            };
            if (score is { } value)
            {
                return new Finding<int>(value, reference, $"ECOG {value}");
            }
        }

        return null;
    }

    private static Finding<decimal>? Quantity(List<(string Reference, Observation Observation)> observations, string system, string code, Func<decimal, string> display) =>
        observations.Where(o => HasCode(o.Observation.Code, system, code) && o.Observation.Value is Quantity { Value: not null })
            .Select(o => (Finding<decimal>?)new Finding<decimal>(((Quantity)o.Observation.Value!).Value!.Value, o.Reference, display(((Quantity)o.Observation.Value!).Value!.Value)))
            .FirstOrDefault();

    private static Finding<MsiResult>? Msi(List<(string Reference, Observation Observation)> observations)
    {
        var (reference, msi) = observations.FirstOrDefault(o => HasCode(o.Observation.Code, Codes.Loinc, Codes.Msi));
        if (msi is null)
        {
            return null;
        }

        var high = msi.Value is CodeableConcept answer && answer.Coding.Any(c => c.Code == "LA26203-2");
        var percent = msi.Component.FirstOrDefault(c => c.Code?.Coding.Any(x => x.Code == "unstable-sites-percent") == true)?.Value is Quantity { Value: { } p } ? p : (decimal?)null;
        return new Finding<MsiResult>(new MsiResult(high, percent), reference,
            (high ? "MSI-H" : "microsatellite stable") + (percent is { } share ? $" ({RuleText.Number(share)} % unstable sites)" : ""));
    }

    private static bool IsEcog(Observation observation) => HasCode(observation.Code, Codes.Loinc, EcogLoinc);

    private static bool IsPresent(Observation observation) =>
        observation.Value is not CodeableConcept value || !value.Coding.Any(c => c.System == Codes.Loinc && c.Code == "LA9634-2");

    private static bool HasCode(CodeableConcept? concept, string system, string code) =>
        concept?.Coding.Any(c => c.System == system && c.Code == code) == true;
}
