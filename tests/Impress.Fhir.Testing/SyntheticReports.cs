using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Testing;

/// <summary>
/// Report bundles of any size, made from the shipped example report: its variant Observations are repeated (each
/// copy with its own fullUrl) until the bundle has as many variants as asked, and the report's
/// result list names every one. Each copy is its own variant, as in a real report: its own gene from the TSO500
/// panel, positions, HGVS expressions, allele frequency and read depth. Valid by construction whenever the example is.
/// </summary>
public static partial class SyntheticReports
{
    private static readonly Lazy<IReadOnlyList<Coding>> PanelGenes = new(ReadPanelGenes);

    /// <summary>A transaction bundle with the example's patient, specimen, diagnosis, report, TMB, MSI and <paramref name="variants"/> variants.</summary>
    public static Bundle Create(int variants) => Create(variants, patient: null);

    /// <summary>
    /// As <see cref="Create(int)"/>, for the <paramref name="patient"/>th synthetic patient: its own national id,
    /// report and sample identifiers and its own variants, so many such bundles are many patients' reports rather
    /// than one report resent.
    /// </summary>
    public static Bundle Create(int variants, int? patient)
    {
        var bundle = FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource as Bundle
            ?? throw new InvalidDataException("The example report is not a Bundle.");

        var templates = bundle.Entry.Where(e => IsVariant(e.Resource)).ToList();
        var report = bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        var templateUrls = templates.Select(t => t.FullUrl).ToHashSet();
        report.Result.RemoveAll(r => templateUrls.Contains(r.Reference));
        bundle.Entry.RemoveAll(e => templateUrls.Contains(e.FullUrl));

        for (var i = 0; i < variants; i++)
        {
            var template = templates[i % templates.Count];
            var copy = (Bundle.EntryComponent)template.DeepCopy();
            copy.FullUrl = $"urn:uuid:{Guid.NewGuid()}";
            copy.Resource!.Id = null;
            MakeOwnVariant((Observation)copy.Resource, i + ((patient ?? 0) * variants));
            report.Result.Add(new ResourceReference(copy.FullUrl));
            bundle.Entry.Add(copy);
        }

        if (patient is { } n)
        {
            MakeDistinct(bundle, n);
        }

        return bundle;
    }

    private static void MakeDistinct(Bundle bundle, int n)
    {
        var nationalId = SyntheticIdentities.NationalId(n);
        foreach (var entry in bundle.Entry)
        {
            switch (entry.Resource)
            {
                case Patient person:
                    var identifier = person.Identifier.First(i => i.System == NorwegianIdentifierSystems.NationalIdentityNumber);
                    identifier.Value = nationalId;
                    entry.Request!.IfNoneExist = $"identifier={identifier.System}|{nationalId}";
                    break;
                case DiagnosticReport report:
                    report.Identifier.ForEach(i => i.Value = $"{i.Value}-{n}");
                    break;
                case Specimen specimen:
                    specimen.Identifier.ForEach(i => i.Value = $"{i.Value}-{n}");
                    break;
            }
        }
    }

    /// <summary>
    /// Moves the <paramref name="n"/>th copy to its own gene (for a single-gene variant), position and measurements:
    /// numbers in HGVS expressions and coordinates shift by n, the allele frequency and depths vary.
    /// </summary>
    private static void MakeOwnVariant(Observation variant, int n)
    {
        var genes = variant.Component.Where(c => HasCode(c, Codes.GeneStudied)).ToList();
        foreach (var component in variant.Component)
        {
            switch (component.Value)
            {
                case CodeableConcept gene when genes is [var only] && ReferenceEquals(component, only):
                    var panelGene = PanelGenes.Value[(n * 7) % PanelGenes.Value.Count];
                    gene.Coding = [(Coding)panelGene.DeepCopy()];
                    break;
                case CodeableConcept hgvs when hgvs.Coding is [{ System: "http://varnomen.hgvs.org", Code: { } expression } coding]:
                    coding.Code = Position().Replace(expression, m => m.Groups[1].Value + (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + n).ToString(CultureInfo.InvariantCulture), 1);
                    break;
                case Hl7.Fhir.Model.Range { Low.Value: { } low, High.Value: { } high } range:
                    range.Low.Value = low + n;
                    range.High.Value = high + n;
                    break;
                case Quantity { Value: { } } frequency when HasCode(component, Codes.AlleleFrequency):
                    frequency.Value = 0.05m + ((n * 37) % 90) / 100m;
                    break;
                case Integer count:
                    count.Value += n * 13;
                    break;
            }
        }
    }

    private static bool HasCode(Observation.ComponentComponent component, string code) =>
        component.Code.Coding.Any(c => c.Code == code);

    /// <summary>The first position in an HGVS expression: after c. or g., or after the amino acid in p.(Val600Glu).</summary>
    [GeneratedRegex(@"([cgp]\.\(?[A-Za-z]*)(\d+)")]
    private static partial Regex Position();

    private static IReadOnlyList<Coding> ReadPanelGenes()
    {
        var panel = (ValueSet)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Profiles, "ValueSet-impress-tso500-genes.json"))).Resource;
        return (panel.Compose?.Include ?? [])
            .SelectMany(include => include.Concept.Select(concept => new Coding(include.System, concept.Code, concept.Display)))
            .ToList();
    }

    /// <summary>How many resources a bundle of <paramref name="variants"/> variants holds.</summary>
    public static int ResourceCount(int variants) => Create(0).Entry.Count + variants;

    public static bool IsVariant(Resource? resource) =>
        resource is Observation observation && observation.Code.Coding.Any(c => c.System == Codes.Loinc && c.Code == Codes.Variant);
}
