using Hl7.Fhir.Model;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Matching;

/// <summary>The example catalog against realistic reports, as a clinician would expect it to match.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class ExampleCatalogMatchingTests(ValidatorFixture fixture)
{
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly Matcher Matcher = new(CatalogFile.Read(Path.Combine(RepositoryPaths.Profiles, "catalog", "example-catalog.json")));

    private IReadOnlyList<ArmMatch> Match(Bundle bundle) =>
        Matcher.Match(new PatientProfileReader(fixture.Validator.Panel).FromBundle(bundle, Today).Single());

    private static ArmMatch Arm(IReadOnlyList<ArmMatch> matches, string id) => matches.Single(m => m.Arm.Id == id);

    /// <summary>The example report (BRAF V600E, ERBB2 amplification, EML4-ALK, MET exon 14; TMB 7.8; MSS) with another diagnosis.</summary>
    private static Bundle ExampleReport(string icd10 = "C18.7", Action<Bundle>? change = null)
    {
        var bundle = ValidatorFixture.ExampleReport();
        var condition = bundle.Entry.Select(e => e.Resource).OfType<Condition>().Single();
        condition.Code!.Coding[0].Code = icd10;
        change?.Invoke(bundle);
        return bundle;
    }

    private Bundle Imported(string? dna, string? rna, string icd10)
    {
        var (request, _) = Tso500ImportRequest.Parse(SyntheticIdentities.NationalId(77), "S-77", null, icd10, "993467049");
        var importer = new Tso500Importer(fixture.Validator.Panel);
        return importer.Import(dna is null ? null : Tso500Fixtures.Input(dna), rna is null ? null : Tso500Fixtures.Input(rna), request!, DateTimeOffset.UnixEpoch).Report.Bundle;
    }

    [Fact]
    public void BRAF_V600E_colorectal_cancer_matches_vemurafenib_cobimetinib_in_its_open_cohort()
    {
        var matches = Match(ExampleReport("C18.7"));

        var match = Arm(matches, "vemurafenib-cobimetinib");
        Assert.Equal(MatchResult.Matched, match.Result);
        Assert.Equal(("VEMCOB-CRC", CohortAvailability.Open, 3), (match.Cohort!.Id, match.CohortState!.Value.Availability, match.CohortState.Value.OpenSlots!.Value));
        // The explanation names the evidence: the BRAF Observation of the bundle.
        var braf = ValidatorFixture.ExampleReport().Entry.First(e => e.Resource is Observation o && o.Component.Any(c => c.Value is CodeableConcept g && g.Coding.Any(x => x.Display == "BRAF")));
        Assert.Contains(match.SupportingEvidence, e => e.Reference == braf.FullUrl && e.Display == "BRAF p.V600E");
        Assert.StartsWith("Matches Vemurafenib + cobimetinib in BRAF V600-mutated cancer: BRAF p.V600E. Cohort VEMCOB-CRC (Colorectal cancer) is open in stage 1: 3 places left.", match.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void BRAF_V600E_melanoma_is_excluded_as_on_label_use()
    {
        var match = Arm(Match(ExampleReport("C43.5")), "vemurafenib-cobimetinib");

        Assert.Equal(MatchResult.NotMatched, match.Result);
        Assert.Equal("vemurafenib with cobimetinib is approved in BRAF V600-mutated melanoma (on-label use)", match.Exclusion);
        Assert.StartsWith("Excluded from", match.Summary, StringComparison.Ordinal);
        var exclusion = match.Explanation.Parts.Single(p => p.IsExclusion);
        Assert.Equal(Outcome.Met, exclusion.Outcome);
    }

    [Fact]
    public void EML4_ALK_outside_the_lung_matches_alectinib_with_no_cohort_yet_and_in_the_lung_is_excluded()
    {
        var colon = Arm(Match(ExampleReport("C18.7")), "alectinib");
        var lung = Arm(Match(ExampleReport("C34.1")), "alectinib");
        var unknownPrimary = Arm(Match(ExampleReport("C80.9")), "alectinib");

        Assert.Equal(MatchResult.Matched, colon.Result);
        Assert.Null(colon.Cohort);
        Assert.Contains("the Mol-MDT may open one", colon.Summary, StringComparison.Ordinal);
        Assert.Equal("ResearchStudy/arm-alectinib", colon.CohortOrArmReference);
        Assert.Equal(MatchResult.NotMatched, lung.Result);
        Assert.Equal(("ALEC-CUP", MatchResult.Matched), (unknownPrimary.Cohort!.Id, unknownPrimary.Result));
    }

    [Fact]
    public void TMB_12_matches_atezolizumab()
    {
        var bundle = ExampleReport("C25.0", b => ((Quantity)b.Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == "94076-7")).Value!).Value = 12);

        var match = Arm(Match(bundle), "atezolizumab");

        Assert.Equal(MatchResult.Matched, match.Result);
        Assert.Equal("ATEZO-PANC", match.Cohort!.Id);
        Assert.Contains("TMB 12 mutations/Mb", match.Summary, StringComparison.Ordinal);
        Assert.Equal(MatchResult.NotMatched, Arm(Match(ExampleReport("C25.0")), "atezolizumab").Result);
    }

    [Fact]
    public void One_BRCA2_frameshift_alone_is_not_bi_allelic_and_a_hit_with_an_exon_deletion_is()
    {
        var single = Arm(Match(Imported(Tso500Fixtures.LocalAppDna, null, "C54.1")), "olaparib");
        var twoHits = Arm(Match(Imported(Tso500Fixtures.DragenDna, null, "C54.1")), "olaparib");

        Assert.Equal(MatchResult.NotMatched, single.Result);
        var biallelic = single.Explanation.Parts[0];
        Assert.Contains("BRCA2: one loss-of-function variant, no second hit or loss of the other copy reported", biallelic.Note, StringComparison.Ordinal);
        Assert.Contains(biallelic.Evidence, e => e.Display.Contains("BRCA2", StringComparison.Ordinal));
        Assert.Equal(MatchResult.Matched, twoHits.Result);
        Assert.Equal(("OLAP-ENDO", 14), (twoHits.Cohort!.Id, twoHits.CohortState!.Value.OpenSlots!.Value));
        Assert.Equal(2, twoHits.SupportingEvidence.Count(e => e.Display.Contains("BRCA1", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_RNA_report_with_ALK_NTRK_and_RET_fusions_reaches_alectinib_entrectinib_and_selpercatinib()
    {
        var matches = Match(Imported(null, Tso500Fixtures.LocalAppRna, "C49.2"));

        Assert.Equal(MatchResult.Matched, Arm(matches, "alectinib").Result);
        Assert.Equal(MatchResult.Matched, Arm(matches, "selpercatinib").Result);
        var entrectinib = Arm(matches, "entrectinib");
        Assert.Equal(("ENTR-SARC", MatchResult.Matched), (entrectinib.Cohort!.Id, entrectinib.Result));
        Assert.Contains(entrectinib.SupportingEvidence, e => e.Display == "ETV6-NTRK3 fusion");
        // Without DNA, the DNA-defined arms cannot be decided: they need more data, not a no.
        Assert.Equal(MatchResult.NeedsMoreData, Arm(matches, "vemurafenib-cobimetinib").Result);
        Assert.Equal(1, matches.Single(m => m.Arm.Id == "entrectinib").Rank);
    }

    [Fact]
    public void A_ROS1_fusion_in_lung_cancer_is_excluded_from_entrectinib_but_an_NTRK_fusion_is_not()
    {
        var ros1Only = Imported(null, Tso500Fixtures.LocalAppRna, "C34.1");
        var matches = Match(ros1Only);

        // The fixture also holds ETV6-NTRK3: the exclusion is for ROS1-positive lung cancer, which this also is.
        Assert.Equal(MatchResult.NotMatched, Arm(matches, "entrectinib").Result);
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppRna);
        var ntrkOnly = string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("CD74-ROS1", StringComparison.Ordinal) && !l.StartsWith("NKX2-1-ROS1", StringComparison.Ordinal)));
        var (request, _) = Tso500ImportRequest.Parse(SyntheticIdentities.NationalId(78), "S-78", null, "C34.1", "993467049");
        var bundle = new Tso500Importer(fixture.Validator.Panel).Import(null, Tso500Fixtures.Input("rna.tsv", ntrkOnly), request!, DateTimeOffset.UnixEpoch).Report.Bundle;
        Assert.Equal(MatchResult.Matched, Arm(Match(bundle), "entrectinib").Result);
    }

    [Fact]
    public void Arms_are_ranked_matched_first_with_open_cohorts_ahead()
    {
        var matches = Match(ExampleReport("C18.7"));

        Assert.Equal(Enumerable.Range(1, matches.Count), matches.Select(m => m.Rank));
        Assert.Equal(["trastuzumab-pertuzumab", "vemurafenib-cobimetinib", "alectinib"], matches.Where(m => m.Result == MatchResult.Matched).Select(m => m.Arm.Id));
        Assert.All(matches.SkipWhile(m => m.Result == MatchResult.Matched), m => Assert.NotEqual(MatchResult.Matched, m.Result));
    }

    [Fact]
    public void A_report_without_a_diagnosis_needs_more_data_for_arms_with_tumour_type_exclusions()
    {
        var bundle = ExampleReport(change: b => b.Entry.RemoveAll(e => e.Resource is Condition));
        var match = Arm(Match(bundle), "vemurafenib-cobimetinib");

        Assert.Equal(MatchResult.NeedsMoreData, match.Result);
        Assert.Contains("The tumour diagnosis is not known.", match.Summary, StringComparison.Ordinal);
    }
}
