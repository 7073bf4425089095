using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Matching;

[Collection(ValidatorCollection.Name)]
public sealed class PatientProfileReaderTests(ValidatorFixture fixture)
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private PatientProfile Read(Bundle bundle) => new PatientProfileReader(fixture.Validator.Panel).FromBundle(bundle, Today).Single();

    [Fact]
    public void Reads_diagnosis_age_biomarkers_and_variants_from_the_example_report()
    {
        var bundle = ValidatorFixture.ExampleReport();

        var profile = Read(bundle);

        var patient = bundle.Entry.Single(e => e.Resource is Patient);
        Assert.Equal(patient.FullUrl, profile.Patient);
        Assert.Equal("C18.7", profile.Diagnosis!.Value.Value);
        Assert.Equal("8140/3", profile.Morphology!.Value.Value);
        Assert.Equal(7.8m, profile.Tmb!.Value.Value);
        Assert.False(profile.Msi!.Value.Value.IsHigh);
        Assert.True(profile.DnaSequenced && profile.RnaSequenced);
        Assert.Equal(
            [("BRAF", VariantKind.Snv), ("ERBB2", VariantKind.CopyNumberGain), ("EML4-ALK", VariantKind.Fusion), ("MET", VariantKind.SpliceVariant)],
            profile.Variants.Select(v => (string.Join("-", v.Genes), v.Kind)));
        var braf = profile.Variants[0];
        Assert.Equal(("V600E", GenomicOrigin.Somatic, 0.3124m), (braf.Protein!.Canonical, braf.Origin!.Value, braf.AlleleFrequency!.Value));
        Assert.Equal(3.85m, profile.Variants[1].FoldChange);
        Assert.Equal("14", profile.Variants[3].Exons);
    }

    [Fact]
    public void The_assays_sequenced_follow_the_reports_sequencing_runs()
    {
        var (request, _) = Tso500ImportRequest.Parse(SyntheticIdentities.NationalId(9), "S-9", null, "C18.7", "993467049");
        var importer = new Tso500Importer(fixture.Validator.Panel);

        var dna = Read(importer.Import(Tso500Fixtures.Input(Tso500Fixtures.LocalAppDna), null, request!, DateTimeOffset.UnixEpoch).Report.Bundle);
        var rna = Read(importer.Import(null, Tso500Fixtures.Input(Tso500Fixtures.LocalAppRna), request!, DateTimeOffset.UnixEpoch).Report.Bundle);

        Assert.Equal((true, false), (dna.DnaSequenced, dna.RnaSequenced));
        Assert.Equal((false, true), (rna.DnaSequenced, rna.RnaSequenced));
        Assert.Equal(13, dna.Variants.Count);
        Assert.Contains(rna.Variants, v => v.Kind == VariantKind.Fusion && v.Genes.SequenceEqual(["CD74", "ROS1", "GOPC"]));
    }

    [Theory]
    [InlineData("LA9623-5", 1)]
    [InlineData("LA9625-0", 3)]
    public void ECOG_is_read_from_its_LOINC_answer(string answer, int score)
    {
        var bundle = ValidatorFixture.ExampleReport();
        var patient = bundle.Entry.Single(e => e.Resource is Patient).FullUrl;
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:0d6b8a3e-2c43-4d1c-9a8e-6f1c6f0b9c11",
            Resource = new Observation
            {
                Status = ObservationStatus.Final,
                Code = Concept.Coded(Codes.Loinc, PatientProfileReader.EcogLoinc, "ECOG performance status"),
                Subject = new ResourceReference(patient),
                Value = Concept.Coded(Codes.Loinc, answer),
            },
        });

        Assert.Equal(score, Read(bundle).Ecog!.Value.Value);
    }
}
