using Hl7.Fhir.Model;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Profiles;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Matching;

[Collection(ValidatorCollection.Name)]
public sealed class MatchResourcesTests(ValidatorFixture fixture)
{
    private static readonly Matcher Matcher = new(CatalogFile.Read(Path.Combine(RepositoryPaths.Profiles, "catalog", "example-catalog.json")));

    private (Bundle Report, PatientProfile Profile, IReadOnlyList<ArmMatch> Matches) MatchExample()
    {
        var report = ValidatorFixture.ExampleReport();
        var profile = new PatientProfileReader(fixture.Validator.Panel).FromBundle(report, new DateOnly(2026, 12, 1)).Single();
        return (report, profile, Matcher.Match(profile));
    }

    [Fact]
    public void A_proposal_is_a_draft_impress_careplan_that_validates_with_the_report_it_cites()
    {
        var (report, profile, matches) = MatchExample();
        var match = matches.First(m => m.Arm.Id == "vemurafenib-cobimetinib");

        var proposal = MatchResources.Proposal(match, profile, new DateOnly(2026, 12, 1));
        report.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:7a3cbe44-5d55-4ad4-a0c8-3a8a26f4f1c1", Resource = proposal, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "CarePlan" } });
        var result = fixture.Validator.Validate(report);

        // The one warning: the cohort is not in the bundle, as it is on the server the proposal is published to.
        Assert.True(result.IsValid, result.Describe());
        Assert.Equal("The reference 'ResearchStudy/cohort-vemcob-crc' is not in the bundle; it must already exist on the server.", Assert.Single(result.Issues).Message);
        Assert.Equal((RequestStatus.Draft, CarePlan.CarePlanIntent.Proposal), (proposal.Status, proposal.Intent));
        Assert.Equal("ResearchStudy/cohort-vemcob-crc", proposal.GetExtensionValue<ResourceReference>(ImpressProfiles.CohortExtension).Reference);
        Assert.Contains(proposal.SupportingInfo, r => r.Display == "BRAF p.V600E");
        Assert.Equal(profile.Diagnosis!.Value.Evidence, proposal.Addresses.Single().Reference);
        Assert.Equal(["L01EC01", "L01EE02"], proposal.Activity.Select(a => ((CodeableConcept)a.Detail!.Product!).Coding[0].Code));
        Assert.Contains("<ul><li>met: BRAF p.V600 (any amino acid change) — BRAF p.V600E</li>", proposal.Text!.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_extension_lists_every_criterion_depth_first_with_its_evidence()
    {
        var (_, profile, matches) = MatchExample();
        var match = matches.First(m => m.Arm.Id == "trastuzumab-pertuzumab");

        var explanation = MatchResources.Proposal(match, profile, new DateOnly(2026, 12, 1)).GetExtension(ImpressProfiles.MatchExplanationExtension)!;

        Assert.Equal("matched", explanation.GetExtensionValue<Code>("result").Value);
        var criteria = explanation.Extension.Where(e => e.Url == "criterion").ToList();
        Assert.Equal(match.Explanation.DepthFirst().Select(n => n.Path), criteria.Select(c => c.GetExtensionValue<FhirString>("path").Value));
        var amplification = criteria.Single(c => c.GetExtensionValue<FhirString>("description").Value == "ERBB2 amplification, fold change ≥ 2");
        Assert.Equal("met", amplification.GetExtensionValue<Code>("outcome").Value);
        Assert.Contains(amplification.Extension, e => e.Url == "evidence" && ((ResourceReference)e.Value!).Display!.StartsWith("ERBB2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_outcomes_of_every_arm_are_parameters_with_the_explanation_as_nested_parts()
    {
        var (_, profile, matches) = MatchExample();

        var outcomes = MatchResources.Outcomes(matches, profile);

        var arms = outcomes.Parameter.Where(p => p.Name == "match").ToList();
        Assert.Equal(8, arms.Count);
        var first = arms[0];
        Assert.Equal(("1", "matched"), (((Integer)first.Part.Single(p => p.Name == "rank").Value!).Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ((Code)first.Part.Single(p => p.Name == "result").Value!).Value));
        var melanomaFree = arms.Single(a => ((ResourceReference)a.Part.Single(p => p.Name == "arm").Value!).Reference == "ResearchStudy/arm-alectinib");
        Assert.Equal("no-cohort", ((Code)melanomaFree.Part.Single(p => p.Name == "cohortAvailability").Value!).Value);
        var root = melanomaFree.Part.Single(p => p.Name == "criterion");
        Assert.Contains(root.Part.Where(p => p.Name == "criterion"), c => c.Part.Any(p => p.Name == "evidence"));
    }
}
