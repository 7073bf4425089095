using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;
using static Impress.Fhir.Core.Tests.Matching.MatchingTestData;

namespace Impress.Fhir.Core.Tests.Matching;

/// <summary>Each construct of the rule language, met and not met, and unknown where data is missing.</summary>
public sealed class RuleConstructTests
{
    [Theory]
    [InlineData("""{"variant": {"gene": "BRAF"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "KRAS"}}""", Outcome.NotMet)]
    [InlineData("""{"variant": {"genes": ["KRAS", "BRAF"]}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "protein": "p.V600E"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "protein": "p.Val600Glu"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "protein": "p.V600K"}}""", Outcome.NotMet)]
    [InlineData("""{"variant": {"gene": "BRAF", "protein": "p.V600"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "protein": "p.V601"}}""", Outcome.NotMet)]
    [InlineData("""{"variant": {"gene": "BRAF", "category": "snv"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "category": "indel"}}""", Outcome.NotMet)]
    [InlineData("""{"variant": {"gene": "BRAF", "origin": "somatic"}}""", Outcome.Met)]
    [InlineData("""{"variant": {"gene": "BRAF", "minAlleleFrequency": 0.5}}""", Outcome.NotMet)]
    public void A_variant_criterion_asks_for_gene_protein_category_origin_and_frequency(string json, Outcome expected)
    {
        var braf = Snv("BRAF", "NP_004324.2:p.(Val600Glu)") with { Origin = GenomicOrigin.Somatic, AlleleFrequency = 0.31m };

        Assert.Equal(expected, Evaluate(Criterion(json), Patient(braf)));
    }

    [Fact]
    public void A_germline_variant_does_not_meet_a_somatic_criterion()
    {
        var germline = Snv("BRCA2", "p.(Ser1982ArgfsTer22)", "frameshift_variant") with { Origin = GenomicOrigin.Germline };

        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("""{"variant": {"gene": "BRCA2", "origin": "somatic"}}"""), Patient(germline)));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"variant": {"gene": "BRCA2", "origin": "germline"}}"""), Patient(germline)));
    }

    [Fact]
    public void A_wildcard_takes_any_change_at_the_residue_including_a_delins()
    {
        var criterion = Criterion("""{"variant": {"gene": "BRAF", "protein": "p.V600"}}""");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Snv("BRAF", "p.(Val600Lys)"))));
        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Indel("BRAF", "p.(Val600_Lys601delinsGlu)", "protein_altering_variant"))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(Snv("BRAF", "p.(Gly469Ala)"))));
    }

    [Theory]
    [InlineData(3.85, Outcome.Met)]
    [InlineData(2.0, Outcome.Met)]
    [InlineData(1.9, Outcome.NotMet)]
    public void An_amplification_is_met_from_its_fold_change_threshold(double fold, Outcome expected)
    {
        var criterion = Criterion("""{"variant": {"gene": "ERBB2", "category": "copy-number-gain", "foldChange": {"min": 2.0}}}""");

        Assert.Equal(expected, Evaluate(criterion, Patient(Gain("ERBB2", (decimal)fold))));
    }

    [Fact]
    public void A_copy_number_loss_criterion_can_ask_for_a_homozygous_deletion()
    {
        var criterion = Criterion("""{"variant": {"gene": "CDKN2A", "category": "copy-number-loss", "copyNumber": {"max": 0}}}""");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Loss("CDKN2A", 0))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(Loss("CDKN2A", 1))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(Gain("CDKN2A", 3))));
    }

    [Fact]
    public void A_fusion_criterion_takes_either_partner_order_and_ambiguous_partners()
    {
        var alk = Criterion("""{"variant": {"gene": "ALK", "category": "fusion"}}""");
        var pair = Criterion("""{"variant": {"partners": ["EML4", "ALK"]}}""");

        Assert.Equal(Outcome.Met, Evaluate(alk, Patient(Fusion("f1", "EML4", "ALK"))));
        Assert.Equal(Outcome.Met, Evaluate(alk, Patient(Fusion("f1", "ALK", "EML4"))));
        Assert.Equal(Outcome.Met, Evaluate(pair, Patient(Fusion("f1", "ALK", "EML4"))));
        Assert.Equal(Outcome.NotMet, Evaluate(pair, Patient(Fusion("f1", "KIF5B", "ALK"))));
        var ros1 = Criterion("""{"variant": {"gene": "ROS1", "category": "fusion"}}""");
        Assert.Equal(Outcome.Met, Evaluate(ros1, Patient(Fusion("f2", "CD74", "ROS1", "GOPC"))));
        Assert.Equal(Outcome.NotMet, Evaluate(ros1, Patient(Snv("ROS1", "p.(Gly2032Arg)"))));
    }

    [Fact]
    public void A_fusion_cannot_be_ruled_out_without_RNA()
    {
        var criterion = Criterion("""{"variant": {"gene": "ALK", "category": "fusion"}}""");
        var dnaOnly = Patient(Snv("KRAS", "p.(Gly12Asp)")) with { RnaSequenced = false };

        var explanation = Explain(criterion, dnaOnly);

        Assert.Equal(Outcome.Unknown, explanation.Outcome);
        Assert.Contains("RNA was not sequenced", explanation.Note, StringComparison.Ordinal);
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, dnaOnly with { RnaSequenced = true }));
    }

    [Theory]
    [InlineData("14", "14", Outcome.Met)]
    [InlineData("14", "2-7", Outcome.NotMet)]
    [InlineData("2-7", "2-7", Outcome.Met)]
    public void A_splice_variant_criterion_asks_for_its_exon(string wanted, string observed, Outcome expected)
    {
        var criterion = Criterion("{\"variant\": {\"gene\": \"MET\", \"category\": \"splice-variant\", \"exon\": \"" + wanted + "\"}}");

        Assert.Equal(expected, Evaluate(criterion, Patient(Splice("MET", observed))));
    }

    [Fact]
    public void An_exon_criterion_on_a_small_variant_reads_the_exon_it_lies_in()
    {
        var criterion = Criterion("""{"variant": {"gene": "ERBB2", "category": "indel", "consequence": "inframe_insertion", "exon": "20"}}""");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Indel("ERBB2", "p.(Tyr772_Ala775dup)", "inframe_insertion", "20"))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(Indel("ERBB2", "p.(Leu755_Thr759del)", "inframe_deletion", "19"))));
    }

    [Theory]
    [InlineData("stop_gained", Outcome.Met)]
    [InlineData("frameshift_variant", Outcome.Met)]
    [InlineData("splice_acceptor_variant", Outcome.Met)]
    [InlineData("splice_donor_variant", Outcome.Met)]
    [InlineData("start_lost", Outcome.Met)]
    [InlineData("missense_variant", Outcome.NotMet)]
    [InlineData("synonymous_variant", Outcome.NotMet)]
    public void Loss_of_function_is_a_class_of_consequences(string consequence, Outcome expected)
    {
        var criterion = Criterion("""{"variant": {"gene": "PTEN", "consequence": "loss-of-function"}}""");

        Assert.Equal(expected, Evaluate(criterion, Patient(Snv("PTEN", "p.(Arg233Ter)", consequence))));
    }

    [Fact]
    public void A_homozygous_deletion_is_loss_of_function_and_a_single_copy_loss_is_not()
    {
        var criterion = Criterion("""{"variant": {"gene": "CDKN2A", "consequence": "loss-of-function"}}""");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Loss("CDKN2A", 0))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(Loss("CDKN2A", 1))));
    }

    [Fact]
    public void Bi_allelic_loss_needs_two_hits_or_a_hit_and_a_loss_or_a_homozygous_deletion()
    {
        var criterion = Criterion("""{"biallelicLoss": {"genes": ["BRCA1", "BRCA2"]}}""");
        var frameshift = Snv("BRCA2", "p.(Ser1982ArgfsTer22)", "frameshift_variant", "h1");
        var stop = Snv("BRCA2", "p.(Arg3052Ter)", "stop_gained", "h2");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(frameshift, stop)));
        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(frameshift, Loss("BRCA2", 1))));
        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient(Loss("BRCA1", 0))));
        var one = Explain(criterion, Patient(frameshift));
        Assert.Equal(Outcome.NotMet, one.Outcome);
        Assert.Contains("one loss-of-function variant, no second hit", one.Note, StringComparison.Ordinal);
        Assert.Equal("Observation/h1", Assert.Single(one.Evidence).Reference);
        // Hits in two different genes are not two hits in one gene.
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(frameshift, Snv("BRCA1", "p.(Gln1756ProfsTer74)", "frameshift_variant", "h3"))));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient(frameshift, Snv("BRCA2", "p.(Asn372His)", "missense_variant", "h4"))));
    }

    [Theory]
    [InlineData(12.0, Outcome.Met)]
    [InlineData(10.0, Outcome.Met)]
    [InlineData(9.9, Outcome.NotMet)]
    public void TMB_is_met_from_its_threshold(double tmb, Outcome expected)
    {
        var patient = Patient() with { Tmb = new Finding<decimal>((decimal)tmb, "Observation/tmb", $"TMB {tmb}") };

        Assert.Equal(expected, Evaluate(Criterion("""{"tmb": {"min": 10}}"""), patient));
    }

    [Fact]
    public void MSI_is_met_by_the_labs_call_or_by_a_share_of_unstable_sites()
    {
        var high = Patient() with { Msi = new Finding<MsiResult>(new MsiResult(true, 26.3m), "Observation/msi", "MSI-H") };
        var stable = Patient() with { Msi = new Finding<MsiResult>(new MsiResult(false, 3.2m), "Observation/msi", "MSS") };

        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"msi": {"status": "high"}}"""), high));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("""{"msi": {"status": "high"}}"""), stable));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"msi": {"minPercentUnstable": 20}}"""), high));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("""{"msi": {"minPercentUnstable": 30}}"""), high));
    }

    [Theory]
    [InlineData("""{"tmb": {"min": 10}}""", "No TMB is reported.")]
    [InlineData("""{"msi": {"status": "high"}}""", "No MSI status is reported.")]
    [InlineData("""{"gis": {"min": 42}}""", "No genomic instability score is reported.")]
    [InlineData("""{"ecog": {"max": 2}}""", "No ECOG performance status is recorded.")]
    public void Missing_clinical_data_is_unknown_not_no(string json, string note)
    {
        var explanation = Explain(Criterion(json), Patient());

        Assert.Equal((Outcome.Unknown, note), (explanation.Outcome, explanation.Note));
    }

    [Fact]
    public void The_tumour_type_matches_by_ICD10_prefix_and_by_morphology()
    {
        var colon = Patient();
        var noDiagnosis = Patient() with { Diagnosis = null };
        var adenocarcinoma = Patient() with { Morphology = new Finding<string>("8140/3", "Condition/c1", "adenocarcinoma") };

        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"tumorType": {"icd10": ["C18", "C19", "C20"]}}"""), colon));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"tumorType": {"icd10": ["C18.7"]}}"""), colon));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("""{"tumorType": {"icd10": ["C34"]}}"""), colon));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("""{"tumorType": {"icd10": ["C34"]}}"""), noDiagnosis));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("""{"tumorType": {"morphology": ["8140"]}}"""), adenocarcinoma));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("""{"tumorType": {"morphology": ["8140"]}}"""), colon));
    }

    [Theory]
    [InlineData(17, Outcome.NotMet)]
    [InlineData(18, Outcome.Met)]
    [InlineData(80, Outcome.Met)]
    public void Age_is_compared_in_whole_years(int age, Outcome expected)
    {
        var patient = Patient() with { AgeYears = new Finding<int>(age, "Patient/p1", $"age {age}") };

        Assert.Equal(expected, Evaluate(Criterion("""{"age": {"min": 18}}"""), patient));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("""{"age": {"min": 18}}"""), patient with { AgeYears = null }));
    }

    [Fact]
    public void ECOG_is_met_up_to_its_maximum()
    {
        var criterion = Criterion("""{"ecog": {"max": 2}}""");

        Assert.Equal(Outcome.Met, Evaluate(criterion, Patient() with { Ecog = new Finding<int>(1, "Observation/e", "ECOG 1") }));
        Assert.Equal(Outcome.NotMet, Evaluate(criterion, Patient() with { Ecog = new Finding<int>(3, "Observation/e", "ECOG 3") }));
    }

    [Fact]
    public void All_any_and_not_combine_in_three_values()
    {
        var met = """{"variant": {"gene": "BRAF"}}""";
        var notMet = """{"variant": {"gene": "KRAS"}}""";
        var unknown = """{"tmb": {"min": 10}}""";
        var patient = Patient(Snv("BRAF", "p.(Val600Glu)"));

        Assert.Equal(Outcome.Met, Evaluate(Criterion("{\"all\": [" + met + ", " + met + "]}"), patient));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("{\"all\": [" + met + ", " + unknown + ", " + notMet + "]}"), patient));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("{\"all\": [" + met + ", " + unknown + "]}"), patient));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("{\"any\": [" + notMet + ", " + unknown + ", " + met + "]}"), patient));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("{\"any\": [" + notMet + ", " + unknown + "]}"), patient));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("{\"any\": [" + notMet + ", " + notMet + "]}"), patient));
        Assert.Equal(Outcome.NotMet, Evaluate(Criterion("{\"not\": " + met + "}"), patient));
        Assert.Equal(Outcome.Met, Evaluate(Criterion("{\"not\": " + notMet + "}"), patient));
        Assert.Equal(Outcome.Unknown, Evaluate(Criterion("{\"not\": " + unknown + "}"), patient));
    }

    [Fact]
    public void A_near_miss_is_named_as_the_evidence_of_a_criterion_not_met()
    {
        var explanation = Explain(Criterion("""{"variant": {"gene": "BRAF", "protein": "p.V600"}}"""), Patient(Snv("BRAF", "p.(Gly469Ala)", id: "g469")));

        Assert.Equal(Outcome.NotMet, explanation.Outcome);
        var evidence = Assert.Single(explanation.Evidence);
        Assert.Equal("Observation/g469", evidence.Reference);
        Assert.Contains("p.G469A is not p.V600", evidence.Display, StringComparison.Ordinal);
    }
}
