using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary>Matching on the server: a stored report gets its proposals; $match answers without storing.</summary>
public sealed class MatchingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    internal static async Task<List<CarePlan>> ProposalsOf(FhirClient client, string patient)
    {
        var found = await client.SearchAsync<CarePlan>([$"subject={patient}"], pageSize: 100);
        return found!.Entry.Select(e => (CarePlan)e.Resource!).Where(c => c.Identifier.Any(i => i.System == MatchResources.ProposalIdentifierSystem)).ToList();
    }

    private static string PatientOf(Bundle response) =>
        response.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];

    [Fact]
    public async Task A_stored_report_gets_a_draft_proposal_for_each_arm_it_matches()
    {
        var client = server.Client();

        var response = await client.TransactionAsync(ExampleReports.OfPatient(601));
        await server.PipelineIdleAsync();

        var proposals = await ProposalsOf(client, PatientOf(response!));
        Assert.Equal(
            ["alectinib", "trastuzumab-pertuzumab", "vemurafenib-cobimetinib"],
            proposals.Select(p => p.Identifier[0].Value!.Split('|')[1]).Order(StringComparer.Ordinal));
        Assert.All(proposals, p => Assert.Equal((RequestStatus.Draft, CarePlan.CarePlanIntent.Proposal), (p.Status, p.Intent)));
        var vemcob = proposals.Single(p => p.Identifier[0].Value!.EndsWith("|vemurafenib-cobimetinib", StringComparison.Ordinal));
        Assert.Equal("ResearchStudy/cohort-vemcob-crc", vemcob.GetExtensionValue<ResourceReference>(Profiles.ImpressProfiles.CohortExtension).Reference);
        Assert.Contains(vemcob.SupportingInfo, r => r.Display == "BRAF p.V600E" && r.Reference!.StartsWith("Observation/", StringComparison.Ordinal));
        var outcome = await client.ValidateResourceAsync(vemcob);
        Assert.DoesNotContain(outcome!.Issue, i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    [Fact]
    public async Task The_same_report_again_changes_no_proposal()
    {
        var client = server.Client();
        var bundle = ExampleReports.OfPatient(602);

        var first = await client.TransactionAsync(bundle);
        await client.TransactionAsync(bundle);
        await server.PipelineIdleAsync();

        var proposals = await ProposalsOf(client, PatientOf(first!));
        Assert.Equal(3, proposals.Count);
        Assert.All(proposals, p => Assert.Equal("1", p.Meta!.VersionId));
    }

    [Fact]
    public async Task A_melanoma_report_gets_no_vemurafenib_proposal()
    {
        var client = server.Client();

        var response = await client.TransactionAsync(ExampleReports.OfPatient(603, "C43.5"));
        await server.PipelineIdleAsync();

        var proposals = await ProposalsOf(client, PatientOf(response!));
        Assert.DoesNotContain(proposals, p => p.Identifier[0].Value!.EndsWith("|vemurafenib-cobimetinib", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Match_answers_every_arm_with_explanations_and_stores_nothing()
    {
        var client = server.Client();
        var parameters = new Parameters();
        parameters.Add("report", ExampleReports.OfPatient(604));

        var result = (Bundle)(await client.WholeSystemOperationAsync("match", parameters))!;

        Assert.Equal(Bundle.BundleType.Collection, result.Type);
        var outcomes = Assert.IsType<Parameters>(result.Entry[0].Resource);
        Assert.Equal(8, outcomes.Parameter.Count(p => p.Name == "match"));
        var proposals = result.Entry.Select(e => e.Resource).OfType<CarePlan>().ToList();
        Assert.Equal(3, proposals.Count);
        Assert.All(proposals, p => Assert.StartsWith("urn:uuid:", p.Subject!.Reference, StringComparison.Ordinal));
        var stored = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{SyntheticIdentities.NationalId(604)}"]);
        Assert.Empty(stored!.Entry);
    }

    [Fact]
    public async Task Match_refuses_an_invalid_report_and_what_is_not_a_bundle()
    {
        var client = server.Client();
        var broken = ExampleReports.OfPatient(605);
        var patient = broken.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Identifier[0].Value = patient.Identifier[0].Value![..10] + (char)('0' + ((patient.Identifier[0].Value![10] - '0' + 1) % 10));
        var invalid = new Parameters();
        invalid.Add("report", broken);
        var notBundle = new Parameters();
        notBundle.Add("report", new FhirString("bundle"));

        var unprocessable = await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("match", invalid));
        var bad = await Assert.ThrowsAsync<FhirOperationException>(() => client.WholeSystemOperationAsync("match", notBundle));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unprocessable.Status);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("Parameters.parameter.where(name = 'report')", bad.Outcome!.Issue[0].Expression.Single());
    }

    [Fact]
    public async Task The_capability_statement_lists_match()
    {
        var capabilities = await server.Client().CapabilityStatementAsync();

        Assert.Contains(capabilities!.Rest[0].Operation, o => o.Name == "match" && o.Definition == "http://impress-norway.no/fhir/OperationDefinition/match");
    }
}

/// <summary>A catalog change re-matches the stored patients in the background. Its own server: it edits the catalog.</summary>
public sealed class RematchTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<CarePlan> EventuallyAsync(FhirClient client, string patient, string arm, Func<CarePlan, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var proposal = (await MatchingTests.ProposalsOf(client, patient)).Single(p => p.Identifier[0].Value!.EndsWith("|" + arm, StringComparison.Ordinal));
            if (condition(proposal) || DateTime.UtcNow > deadline)
            {
                return proposal;
            }

            await System.Threading.Tasks.Task.Delay(100);
        }
    }

    [Fact]
    public async Task Closing_a_cohort_withdraws_its_proposals_and_reopening_it_proposes_again()
    {
        var client = server.Client();
        var response = await client.TransactionAsync(ExampleReports.OfPatient(701));
        await server.PipelineIdleAsync();
        var patient = response!.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];
        var cohort = (await client.ReadAsync<ResearchStudy>("ResearchStudy/cohort-vemcob-crc"))!;

        cohort.Status = ResearchStudy.ResearchStudyStatus.ClosedToAccrual;
        await client.UpdateAsync(cohort);
        var withdrawn = await EventuallyAsync(client, patient, "vemurafenib-cobimetinib", p => p.Status == RequestStatus.Revoked);

        Assert.Equal(RequestStatus.Revoked, withdrawn.Status);
        Assert.StartsWith("Withdrawn: ", withdrawn.Description, StringComparison.Ordinal);
        Assert.Contains("Cohort VEMCOB-CRC (Colorectal cancer) is closed.", withdrawn.Description, StringComparison.Ordinal);
        var untouched = await EventuallyAsync(client, patient, "alectinib", _ => true);
        Assert.Equal(("1", RequestStatus.Draft), (untouched.Meta!.VersionId, untouched.Status));

        cohort = (await client.ReadAsync<ResearchStudy>("ResearchStudy/cohort-vemcob-crc"))!;
        cohort.Status = ResearchStudy.ResearchStudyStatus.Active;
        await client.UpdateAsync(cohort);
        var again = await EventuallyAsync(client, patient, "vemurafenib-cobimetinib", p => p.Status == RequestStatus.Draft);

        Assert.Equal(RequestStatus.Draft, again.Status);
    }
}
