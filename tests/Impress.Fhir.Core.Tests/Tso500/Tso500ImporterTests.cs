using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Tso500;

[Collection(ValidatorCollection.Name)]
public sealed class Tso500ImporterTests(ValidatorFixture fixture)
{
    private static readonly DateTimeOffset ImportTime = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private Tso500Importer Importer(Tso500ImportOptions? options = null) => new(fixture.Validator.Panel, options);

    internal static Tso500ImportRequest Request(string specimen = "P-2024-117", string? reportId = null)
    {
        var (request, problems) = Tso500ImportRequest.Parse(SyntheticIdentities.NationalId(3), specimen, null, "C34.1", "993467049", "Oslo universitetssykehus HF", reportId);
        Assert.Empty(problems);
        return request!;
    }

    private Tso500Import Import(string? dna, string? rna, Tso500ImportOptions? options = null) =>
        Importer(options).Import(dna is null ? null : Tso500Fixtures.Input(dna), rna is null ? null : Tso500Fixtures.Input(rna), Request(), ImportTime);

    private static List<Observation> Variants(Bundle bundle) =>
        bundle.Entry.Select(e => e.Resource).OfType<Observation>().Where(o => o.Code.Coding.Any(c => c.Code == Codes.Variant)).ToList();

    private static string? Category(Observation observation) =>
        observation.Component.Where(c => c.Code.Coding.Any(x => x.Code == Codes.VariantCategoryComponent)).Select(c => ((CodeableConcept)c.Value!).Coding[0].Code).SingleOrDefault();

    private static IEnumerable<string?> Genes(Observation observation) =>
        observation.Component.Where(c => c.Code.Coding.Any(x => x.Code == Codes.GeneStudied))
            .Select(c => (CodeableConcept)c.Value!).Select(g => g.Coding.FirstOrDefault()?.Display ?? g.Text);

    /// <summary>The value of the observation's one component coded <paramref name="code"/>.</summary>
    private static T Value<T>(Observation observation, string code) where T : DataType =>
        (T)observation.Component.Single(c => c.Code.Coding[0].Code == code).Value!;

    [Theory]
    [InlineData(Tso500Fixtures.LocalAppDna, null)]
    [InlineData(null, Tso500Fixtures.LocalAppRna)]
    [InlineData(Tso500Fixtures.LocalAppDna, Tso500Fixtures.LocalAppRna)]
    [InlineData(Tso500Fixtures.DragenDna, null)]
    [InlineData(null, Tso500Fixtures.NoTemplateControl)]
    public void Every_fixture_becomes_a_report_that_validates_clean(string? dna, string? rna)
    {
        var import = Import(dna, rna);

        var result = fixture.Validator.Validate(import.Report.Bundle);

        Assert.True(result.Issues.Count == 0, result.Describe());
    }

    [Fact]
    public void The_bundle_has_one_Observation_per_row_and_the_summary_counts_match_it()
    {
        var import = Import(Tso500Fixtures.LocalAppDna, Tso500Fixtures.LocalAppRna);
        var bundle = import.Report.Bundle;
        var variants = Variants(bundle);

        Assert.Equal(11, variants.Count(v => Category(v) is "snv" or "mnv" or "indel"));
        Assert.Equal(2, variants.Count(v => Category(v) == "copy-number-gain"));
        Assert.Equal(2, variants.Count(v => Category(v) == "splice-variant"));
        Assert.Equal(6, variants.Count(v => Category(v) == "fusion"));
        Assert.Single(bundle.Entry, e => e.Resource is Observation o && o.Code.Coding.Any(c => c.Code == Codes.Tmb));
        Assert.Single(bundle.Entry, e => e.Resource is Observation o && o.Code.Coding.Any(c => c.Code == Codes.Msi));
        Assert.Equal(11, bundle.Entry.Count(e => e.Resource is MolecularSequence));

        var rows = import.Summary.Sections.Where(s => s.Shape == SectionShape.Rows).GroupBy(s => s.Section).ToDictionary(g => g.Key, g => g.Sum(s => s.Read));
        Assert.Equal(11, rows[CvoSections.SmallVariants]);
        Assert.Equal(2, rows[CvoSections.GeneAmplifications]);
        Assert.Equal(6, rows[CvoSections.Fusions]);
        Assert.Equal(2, rows[CvoSections.SpliceVariants]);
        Assert.All(import.Summary.Sections.Where(s => s.Shape == SectionShape.Rows), s => Assert.Equal(s.Read, s.Imported));
        Assert.Equal(bundle.Entry.Count, import.Summary.ResourcesByType.Values.Sum());
        Assert.Equal(23, import.Summary.ResourcesByType["Observation"]);

        var report = bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        Assert.Equal(bundle.Entry.Where(e => e.Resource is Observation).Select(e => e.FullUrl), report.Result.Select(r => r.Reference));
    }

    [Fact]
    public void A_DNA_and_an_RNA_file_of_one_pair_make_one_report_with_both_runs()
    {
        var bundle = Import(Tso500Fixtures.LocalAppDna, Tso500Fixtures.LocalAppRna).Report.Bundle;

        var report = bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        Assert.Equal("TSO500-INP-T-0001", report.Identifier.Single().Value);
        Assert.Equal(ImpressIdentifierSystems.ReportId("993467049"), report.Identifier.Single().System);
        var runs = report.Extension.Where(e => e.Url == ImpressProfiles.SequencingRunExtension).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal("INP-T-0001-D", runs[0].GetStringExtension("dnaSampleId"));
        Assert.Equal("INP-T-0001-R", runs[1].GetStringExtension("rnaSampleId"));
        Assert.Equal("ruo-2.2.0.12", runs[0].GetStringExtension("pipelineVersion"));
        // Issued is when the later of the two files was written.
        Assert.Equal(new DateTimeOffset(2024, 5, 21, 15, 2, 41, TimeSpan.FromHours(2)), report.Issued);
        Assert.StartsWith("TruSight Oncology 500 (DNA and RNA): TMB 12.5 mutations/Mb (high); microsatellite stable (3.2 % unstable sites); 6 fusions", report.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_variants_carry_HGVS_transcript_Sequence_Ontology_consequence_frequency_depth_and_exon()
    {
        var bundle = Import(Tso500Fixtures.LocalAppDna, null).Report.Bundle;
        var braf = Variants(bundle).Single(v => Genes(v).SequenceEqual(["BRAF"]));

        string? Code(string loinc) => Value<CodeableConcept>(braf, loinc).Coding[0].Code;
        Assert.Equal("NM_004333.4:c.1799T>A", Code(Codes.CodingHgvs));
        Assert.Equal("NP_004324.2:p.(Val600Glu)", Code(Codes.ProteinHgvs));
        Assert.Equal("NM_004333.4", Code("51958-7"));
        Assert.Equal("SO:0001483", Code("48019-4"));
        Assert.Equal("SO:0001583", Code("molecular-consequence"));
        Assert.Equal("LA21260-7", Code("48000-4"));
        Assert.Equal("HGNC:1097", ((CodeableConcept)braf.Component[0].Value!).Coding[0].Code);
        Assert.Equal(0.3124m, Value<Quantity>(braf, Codes.AlleleFrequency).Value);
        Assert.Equal(1187, Value<Integer>(braf, "82121-5").Value);
        Assert.Equal("15", Value<FhirString>(braf, "affected-exons").Value);

        var sequence = (MolecularSequence)bundle.Entry.Single(e => e.FullUrl == braf.DerivedFrom.Single().Reference).Resource!;
        Assert.Equal(("GRCh37", "7", 140453136, "T"), (sequence.ReferenceSeq!.GenomeBuild, sequence.ReferenceSeq.Chromosome!.Coding[0].Code, sequence.Variant[0].Start!.Value, sequence.Variant[0].ObservedAllele));
    }

    [Fact]
    public void A_synonymous_variant_reports_its_protein_change_and_a_variant_outside_genes_has_no_gene()
    {
        var variants = Variants(Import(Tso500Fixtures.LocalAppDna, null).Report.Bundle);

        var pik3ca = variants.Single(v => Genes(v).SequenceEqual(["PIK3CA"]));
        Assert.Equal("p.(Ile391=)", Value<CodeableConcept>(pik3ca, Codes.ProteinHgvs).Coding[0].Code);
        var intergenic = Assert.Single(variants, v => !Genes(v).Any());
        Assert.Equal(19072413m, Value<Hl7.Fhir.Model.Range>(intergenic, "81254-5").Low!.Value);
    }

    [Fact]
    public void Fusions_name_every_partner_candidate_and_keep_the_labs_gene_pair()
    {
        var fusions = Variants(Import(null, Tso500Fixtures.LocalAppRna).Report.Bundle).Where(v => Category(v) == "fusion").ToList();

        var ros1 = fusions.Single(f => Genes(f).Contains("CD74"));
        Assert.Equal(["CD74", "ROS1", "GOPC"], Genes(ros1));
        Assert.Equal("CD74-ROS1;GOPC", Value<CodeableConcept>(ros1, "81252-9").Text);
        Assert.Equal(["chr5:149784243", "chr6:117645578"], ros1.Component.Where(c => c.Code.Coding[0].Code == "fusion-breakpoint").Select(c => ((FhirString)c.Value!).Value));
        Assert.Equal([2, 0], ros1.Component.Where(c => c.Code.Coding[0].Code == "reference-reads").Select(c => ((Integer)c.Value!).Value!.Value));
        Assert.Equal("SO:0001886", Value<CodeableConcept>(ros1, "molecular-consequence").Coding[0].Code);

        // A partner outside the panel has no HGNC id to give: it is named in text.
        var tacc3 = (CodeableConcept)fusions.Single(f => Genes(f).Contains("FGFR3")).Component[1].Value!;
        Assert.Equal(("TACC3", 0), (tacc3.Text, tacc3.Coding.Count));
    }

    [Fact]
    public void DRAGEN_results_become_copy_number_GIS_and_rearrangement_Observations()
    {
        var bundle = Import(Tso500Fixtures.DragenDna, null).Report.Bundle;
        var variants = Variants(bundle);

        var cdkn2a = variants.Single(v => Genes(v).SequenceEqual(["CDKN2A"]));
        Assert.Equal("copy-number-loss", Category(cdkn2a));
        Assert.Equal(0m, Value<Quantity>(cdkn2a, "82155-3").Value);
        Assert.Equal("SO:0001743", Value<CodeableConcept>(cdkn2a, "molecular-consequence").Coding[0].Code);
        var brca1 = variants.Single(v => Category(v) == "large-rearrangement");
        Assert.Equal("BRCA1 exon 11-12 deletion", Value<CodeableConcept>(brca1, "81252-9").Text);

        var gis = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == Codes.GenomicInstabilityScore));
        Assert.Equal((57m, "POS"), (((Quantity)gis.Value!).Value!.Value, gis.Interpretation[0].Coding[0].Code));
        var msi = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == Codes.Msi));
        Assert.Equal("LA26203-2", ((CodeableConcept)msi.Value!).Coding[0].Code);
    }

    [Theory]
    [InlineData(10, "H")]
    [InlineData(12.5, "H")]
    [InlineData(15, "L")]
    public void TMB_high_is_called_by_the_configured_threshold(decimal threshold, string interpretation)
    {
        var bundle = Import(Tso500Fixtures.LocalAppDna, null, new Tso500ImportOptions { TmbHighThreshold = threshold }).Report.Bundle;

        var tmb = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == Codes.Tmb));
        Assert.Equal(interpretation, tmb.Interpretation.Single().Coding[0].Code);
        Assert.Equal("1/1000000{Base}", ((Quantity)tmb.Value!).Code);
    }

    [Theory]
    [InlineData(20, "LA26203-2")]
    [InlineData(30, "LA14122-8")]
    public void MSI_high_is_called_by_the_configured_threshold(decimal threshold, string answer)
    {
        var bundle = Import(Tso500Fixtures.DragenDna, null, new Tso500ImportOptions { MsiHighThreshold = threshold }).Report.Bundle;

        var msi = bundle.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == Codes.Msi));
        Assert.Equal(answer, ((CodeableConcept)msi.Value!).Coding[0].Code);
    }

    [Fact]
    public void A_no_template_control_is_a_valid_report_with_no_results()
    {
        var import = Import(null, Tso500Fixtures.NoTemplateControl);

        var report = import.Report.Bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        Assert.Empty(report.Result);
        Assert.Equal("TruSight Oncology 500 (RNA): no variants or biomarkers reported.", report.Conclusion);
        Assert.DoesNotContain(import.Summary.Warnings, w => w.Contains("no-template control", StringComparison.Ordinal));
    }

    [Fact]
    public void A_no_template_control_with_a_result_is_imported_with_a_contamination_warning()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.NoTemplateControl).Replace(
            "Gene 2 Reference Reads\nNA", "Gene 2 Reference Reads\nTPM3-NTRK1\tchr1:154142876\tchr1:156844361\t159\t0\t2", StringComparison.Ordinal);

        var import = Importer().Import(null, Tso500Fixtures.Input("ntc.tsv", text), Request(), ImportTime);

        Assert.Single(Variants(import.Report.Bundle));
        Assert.Contains(import.Summary.Warnings, w => w.Contains("no-template control ('NTC-RNA-7'), yet holds 1 variant(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_files_give_the_same_bundle_byte_for_byte()
    {
        var first = FhirJson.Serialize(Import(Tso500Fixtures.LocalAppDna, Tso500Fixtures.LocalAppRna).Report.Bundle);
        var second = FhirJson.Serialize(Importer().Import(Tso500Fixtures.Input(Tso500Fixtures.LocalAppDna), Tso500Fixtures.Input(Tso500Fixtures.LocalAppRna), Request(), ImportTime.AddHours(5)).Report.Bundle);

        Assert.Equal(first, second);
        Assert.Matches("\"fullUrl\":\"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"", first);
    }

    [Fact]
    public void Patient_hospital_specimen_and_diagnosis_are_conditional_creates_so_a_second_report_finds_them()
    {
        var bundle = Import(Tso500Fixtures.LocalAppDna, null).Report.Bundle;

        var conditional = bundle.Entry.Where(e => e.Request!.IfNoneExist is not null).ToDictionary(e => e.Resource!.TypeName, e => e.Request!.IfNoneExist);
        Assert.Equal($"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{SyntheticIdentities.NationalId(3)}", conditional["Patient"]);
        Assert.Equal($"identifier={NorwegianIdentifierSystems.OrganizationNumber}|993467049", conditional["Organization"]);
        Assert.Equal($"identifier={ImpressIdentifierSystems.SampleId("993467049")}|P-2024-117", conditional["Specimen"]);
        Assert.Equal($"identifier={ImpressIdentifierSystems.SampleDiagnosis("993467049")}|P-2024-117", conditional["Condition"]);
        var condition = bundle.Entry.Select(e => e.Resource).OfType<Condition>().Single();
        Assert.Equal(("http://hl7.org/fhir/sid/icd-10", "C34.1"), (condition.Code!.Coding[0].System, condition.Code.Coding[0].Code));
    }

    [Fact]
    public void Files_of_two_different_pairs_are_refused()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Import(Tso500Fixtures.DragenDna, Tso500Fixtures.LocalAppRna));

        Assert.Equal((Tso500Fixtures.LocalAppRna, CvoSections.AnalysisDetails), (error.File, error.Section));
        Assert.Contains("the RNA file is of pair 'INP-T-0001' and the DNA file of pair 'INP-T-0002'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_both_files_given_RNA_results_in_the_DNA_file_are_refused_rather_than_reported_twice()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Import(Tso500Fixtures.LocalAppRna, Tso500Fixtures.LocalAppRna));

        Assert.Equal(CvoSections.SpliceVariants, error.Section);
        Assert.Contains("the DNA file holds RNA results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_both_DNA_and_RNA_results_imports_on_its_own()
    {
        var dna = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna);
        var rna = Tso500Fixtures.Text(Tso500Fixtures.LocalAppRna);
        var fusions = rna[rna.IndexOf("[Fusions]", StringComparison.Ordinal)..rna.IndexOf("[Small Variants]", StringComparison.Ordinal)];
        var combined = dna.Replace(dna[dna.IndexOf("[Fusions]", StringComparison.Ordinal)..dna.IndexOf("[Small Variants]", StringComparison.Ordinal)], fusions, StringComparison.Ordinal);

        var import = Importer().Import(Tso500Fixtures.Input("pair.tsv", combined), null, Request(), ImportTime);

        Assert.Equal(6, Variants(import.Report.Bundle).Count(v => Category(v) == "fusion"));
        Assert.True(fixture.Validator.Validate(import.Report.Bundle).IsValid);
    }

    [Fact]
    public void A_report_needs_a_pair_or_sample_id_or_a_report_id()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna).Replace("INP-T-0001-D", "NA").Replace("INP-T-0001", "NA");

        var error = Assert.Throws<Tso500FormatException>(() => Importer().Import(Tso500Fixtures.Input("dna.tsv", text), null, Request(), ImportTime));
        var named = Importer().Import(Tso500Fixtures.Input("dna.tsv", text), null, Request(reportId: "R-17"), ImportTime);

        Assert.Contains("give the report an id", error.Message, StringComparison.Ordinal);
        Assert.Equal("R-17", named.Report.ReportId);
    }

    [Fact]
    public void More_results_than_a_report_takes_are_refused()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Import(Tso500Fixtures.LocalAppDna, null, new Tso500ImportOptions { MaxFindings = 5 }));

        Assert.Contains("one report takes at most 5", error.Message, StringComparison.Ordinal);
    }
}
