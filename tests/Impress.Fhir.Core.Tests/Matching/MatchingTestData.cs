using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Core.Tests.Matching;

/// <summary>Patients and one-criterion arms for testing the rule language, without FHIR in between.</summary>
internal static class MatchingTestData
{
    public static Criterion Criterion(string json) =>
        RuleReader.Read($$"""{"language": "impress-rule/1", "biomarker": {{json}}}""").Biomarker;

    public static PatientProfile Patient(params VariantFeature[] variants) => new()
    {
        Patient = "Patient/p1",
        Report = "DiagnosticReport/r1",
        Diagnosis = new Finding<string>("C18.7", "Condition/c1", "diagnosis C18.7"),
        AgeYears = new Finding<int>(64, "Patient/p1", "age 64"),
        Variants = variants,
    };

    public static VariantFeature Snv(string gene, string protein, string consequence = "missense_variant", string id = "v1") =>
        new($"Observation/{id}", $"{gene} {protein}", [gene], VariantKind.Snv, ProteinChange.TryParse(protein, out var p) ? p : null, [consequence]);

    public static VariantFeature Indel(string gene, string protein, string consequence, string? exons = null, string id = "v2") =>
        new($"Observation/{id}", $"{gene} {protein}", [gene], VariantKind.Indel, ProteinChange.TryParse(protein, out var p) ? p : null, [consequence], exons);

    public static VariantFeature Gain(string gene, decimal fold, string id = "cn1") =>
        new($"Observation/{id}", $"{gene} amplification", [gene], VariantKind.CopyNumberGain, FoldChange: fold);

    public static VariantFeature Loss(string gene, decimal? copies, string id = "cn2") =>
        new($"Observation/{id}", $"{gene} loss", [gene], VariantKind.CopyNumberLoss, CopyNumber: copies);

    public static VariantFeature Fusion(string id, params string[] genes) =>
        new($"Observation/{id}", $"{string.Join("-", genes)} fusion", genes, VariantKind.Fusion);

    public static VariantFeature Splice(string gene, string exons, string id = "sp1") =>
        new($"Observation/{id}", $"{gene} exon {exons} skipping", [gene], VariantKind.SpliceVariant, Exons: exons);

    /// <summary>The outcome of <paramref name="criterion"/> for <paramref name="patient"/>, checked against the fast path.</summary>
    public static Outcome Evaluate(Criterion criterion, PatientProfile patient) => Explain(criterion, patient).Outcome;

    public static Explanation Explain(Criterion criterion, PatientProfile patient)
    {
        var arm = new Arm("test", "Test arm", "1", [], new ArmRule(1, criterion, null, []), "{}", []);
        var matcher = new Matcher(new CohortCatalog("test", "1", [arm]));
        var match = matcher.Match(patient).Single();
        var decided = new MatchResult[1];
        matcher.Decide(matcher.Prepare(patient), decided);
        Assert.Equal(match.Result, decided[0]);
        return match.Explanation.Parts[0];
    }
}
