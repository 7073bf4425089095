using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Testing;

/// <summary>
/// Report bundles of any size, made from the shipped example report: its variant Observations are repeated (each
/// copy with its own fullUrl) until the bundle has as many variants as asked, and the report's
/// result list names every one. Valid by construction whenever the example is.
/// </summary>
public static class SyntheticReports
{
    /// <summary>A transaction bundle with the example's patient, specimen, diagnosis, report, TMB, MSI and <paramref name="variants"/> variants.</summary>
    public static Bundle Create(int variants) => Create(variants, patient: null);

    /// <summary>
    /// As <see cref="Create(int)"/>, for the <paramref name="patient"/>th synthetic patient: its own national id,
    /// report and sample identifiers, so many such bundles are many patients' reports rather than one report resent.
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

    /// <summary>How many resources a bundle of <paramref name="variants"/> variants holds.</summary>
    public static int ResourceCount(int variants) => Create(0).Entry.Count + variants;

    public static bool IsVariant(Resource? resource) =>
        resource is Observation observation && observation.Code.Coding.Any(c => c.System == Codes.Loinc && c.Code == Codes.Variant);
}
