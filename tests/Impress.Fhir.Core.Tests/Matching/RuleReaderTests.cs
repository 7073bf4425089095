using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Core.Tests.Matching;

public sealed class RuleReaderTests
{
    private static RuleFormatException Refused(string json) => Assert.Throws<RuleFormatException>(() => RuleReader.Read(json));

    [Fact]
    public void Reads_a_rule_with_biomarker_eligibility_and_exclusions()
    {
        var rule = RuleReader.Read("""
            {
              "language": "impress-rule/1",
              "biomarker": {"any": [{"variant": {"gene": "ERBB2", "category": "copy-number-gain", "foldChange": {"min": 2}}}, {"not": {"tmb": {"min": 10}}}]},
              "eligibility": {"all": [{"age": {"min": 18}}, {"ecog": {"max": 2}}], "label": "adult, ECOG 0-2"},
              "exclusions": [{"when": {"tumorType": {"icd10": ["C50"]}}, "reason": "on-label in breast cancer"}]
            }
            """);

        var any = Assert.IsType<AnyOf>(rule.Biomarker);
        var gain = Assert.IsType<VariantCriterion>(any.Parts[0]);
        Assert.Equal(["ERBB2"], gain.Genes);
        Assert.Equal([VariantKind.CopyNumberGain], gain.Categories);
        Assert.Equal(2m, gain.MinFoldChange);
        Assert.IsType<Not>(any.Parts[1]);
        Assert.Equal("adult, ECOG 0-2", rule.Eligibility!.Label);
        Assert.Equal("on-label in breast cancer", Assert.Single(rule.Exclusions).Reason);
    }

    [Theory]
    [InlineData("""{"language": "impress-rule/2", "biomarker": {"tmb": {"min": 10}}}""", "$.language", "not a rule language")]
    [InlineData("""{"language": "impress-rule/1"}""", "$", "'biomarker' is required")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"tmb": {"min": 10}}, "extra": 1}""", "$.extra", "not allowed here")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"tmb": {"min": 10}, "msi": {"status": "high"}}}""", "$.biomarker", "has one kind")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"any": []}}""", "$.biomarker.any", "at least one")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"variant": {"gene": "ERBB2", "category": "amplification"}}}""", "$.biomarker.variant.category", "'amplification' is not a variant category")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"variant": {"gene": "BRAF", "protein": "V600E"}}}""", "$.biomarker.variant.protein", "not a protein change")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"variant": {"gene": "PTEN", "consequence": "truncating"}}}""", "$.biomarker.variant.consequence", "neither a Sequence Ontology")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"variant": {"category": "fusion"}}}""", "$.biomarker.variant", "names its gene")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"any": [{"tmb": {"min": 10}}, {"tumorType": {"icd10": ["colon"]}}]}}""", "$.biomarker.any[1].tumorType.icd10[0]", "'colon' is not an ICD-10 code")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"tmb": {"min": "ten"}}}""", "$.biomarker.tmb.min", "expected a number")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"variant": {"gene": "BRAF", "minAlleleFrequency": 5}}}""", "$.biomarker.variant.minAlleleFrequency", "outside 0-1")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"gene": "BRAF"}}""", "$.biomarker.gene", "'gene' is not a criterion")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": {"tmb": {"min": 10}}, "exclusions": [{"when": {"tmb": {"min": 1}}}]}""", "$.exclusions[0]", "'reason' is required")]
    [InlineData("""{"language": "impress-rule/1", "biomarker": [1]}""", "$.biomarker", "expected an object")]
    [InlineData("""not json""", "$", "not JSON")]
    public void A_mistyped_rule_is_refused_with_the_JSON_path_of_the_mistake(string json, string path, string problem)
    {
        var error = Refused(json);

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }
}
