using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Rules;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Matching;

public sealed class CatalogTests
{
    private static string ExampleCatalogPath => Path.Combine(RepositoryPaths.Profiles, "catalog", "example-catalog.json");

    private static CohortCatalog Example() => CatalogFile.Read(ExampleCatalogPath);

    [Fact]
    public void The_example_catalog_has_the_arms_of_the_domain_table_marked_as_an_example()
    {
        var catalog = Example();

        Assert.True(catalog.IsExample);
        Assert.Equal(
            ["olaparib", "vemurafenib-cobimetinib", "atezolizumab", "entrectinib", "trastuzumab-pertuzumab", "selpercatinib", "alectinib", "palbociclib"],
            catalog.Arms.Select(a => a.Id));
        Assert.All(catalog.Arms, a => Assert.All(a.Drugs, d => Assert.Matches("^L01[A-Z]{2}[0-9]{2}$", d.Atc)));
        Assert.Equal(13, catalog.Arms.Sum(a => a.Cohorts.Count));
    }

    [Fact]
    public void The_catalog_reads_back_the_same_from_its_ResearchStudies()
    {
        var catalog = Example();
        var studies = CatalogStudies.ToStudies(catalog).Select(s => ($"ResearchStudy/{s.Id}", (ResearchStudy)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(s))).Resource));

        var read = CatalogStudies.FromStudies(studies);

        Assert.Equal(catalog.Arms.Select(a => a.Id).Order(), read.Arms.Select(a => a.Id));
        foreach (var arm in catalog.Arms)
        {
            var back = read.Find(arm.Id)!;
            Assert.Equal(arm.RuleJson, back.RuleJson);
            Assert.Equal(RuleText.Describe(arm.Rule.Biomarker), RuleText.Describe(back.Rule.Biomarker));
            Assert.Equal(arm.Drugs.Select(d => (d.Name, d.Atc)), back.Drugs.Select(d => (d.Name, d.Atc)));
            Assert.Equal(arm.Cohorts.Select(c => (c.Id, c.State, string.Join(",", c.Icd10), c.Reference)), back.Cohorts.Select(c => (c.Id, c.State, string.Join(",", c.Icd10), c.Reference)));
            Assert.Equal(arm.Reference, back.Reference);
        }
    }

    [Fact]
    public void The_committed_catalog_studies_are_those_the_catalog_generates()
    {
        foreach (var study in CatalogStudies.ToStudies(Example()))
        {
            var path = Path.Combine(RepositoryPaths.Examples, $"ResearchStudy-{study.Id}.json");
            Assert.True(File.Exists(path), $"{path} is missing: run 'impress profiles catalog'.");
            Assert.True(File.ReadAllText(path) == FhirJson.SerializeForFile(study), $"{path} is stale: run 'impress profiles catalog'.");
        }
    }

    [Fact]
    public void A_mistyped_rule_in_a_catalog_is_refused_naming_the_arm_and_the_path()
    {
        var json = File.ReadAllText(ExampleCatalogPath).Replace("\"category\": \"copy-number-gain\"", "\"category\": \"amplified\"", StringComparison.Ordinal);

        var error = Assert.Throws<CatalogFormatException>(() => CatalogFile.Parse(json, "catalog.json"));

        Assert.Contains("(trastuzumab-pertuzumab): rule $.biomarker.any[0].variant.category: 'amplified' is not a variant category", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_arm_id_used_twice_is_refused()
    {
        var json = File.ReadAllText(ExampleCatalogPath).Replace("\"id\": \"alectinib\"", "\"id\": \"olaparib\"", StringComparison.Ordinal);

        var error = Assert.Throws<CatalogFormatException>(() => CatalogFile.Parse(json, "catalog.json"));

        Assert.Contains("the arm id 'olaparib' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accounting_that_cannot_be_is_refused()
    {
        var json = File.ReadAllText(ExampleCatalogPath).Replace("\"enrolled\": 3,", "\"enrolled\": 0,", StringComparison.Ordinal);

        var error = Assert.Throws<CatalogFormatException>(() => CatalogFile.Parse(json, "catalog.json"));

        Assert.Contains("cohort OLAP-BIL: evaluated (1) cannot exceed enrolled (0)", error.Message, StringComparison.Ordinal);
    }
}
