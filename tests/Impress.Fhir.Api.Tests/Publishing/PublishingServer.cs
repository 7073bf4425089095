using Hl7.Fhir.Model;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Publishing;
using Impress.Fhir.Review;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Publishing;

/// <summary>An <c>impress serve</c> that publishes to fake EHRs, with retry delays short enough for a test.</summary>
public sealed class PublishingServer(IReadOnlyList<string> configuration, string? dataDirectory = null)
    : ServerFixture([.. FastRetries, .. configuration], dataDirectory)
{
    public const string OsloOrganizationNumber = "993467049";
    public const string BergenOrganizationNumber = "983974724";

    private static readonly string[] FastRetries =
    [
        "--Publishing:RetryDelay=00:00:00.050",
        "--Publishing:RedeliveryDelay=00:00:00.300",
        "--Publishing:MaxRedeliveryDelay=00:00:02",
        "--Publishing:PollInterval=00:00:00.500",
        "--Publishing:AttemptTimeout=00:00:01",
    ];

    /// <summary>Configuration routing a hospital (by organisation number) to an EHR.</summary>
    public static IEnumerable<string> Route(int index, string name, string organizationNumber, FakeEhr ehr)
    {
        var prefix = $"--Publishing:Hospitals:{index}:";
        yield return $"{prefix}Name={name}";
        yield return $"{prefix}OrganizationNumbers:0={organizationNumber}";
        yield return $"{prefix}FhirBaseUrl={ehr.FhirBase}";
        if (ehr.RequireToken)
        {
            yield return $"{prefix}Authentication:Method=ClientSecret";
            yield return $"{prefix}Authentication:TokenEndpoint={ehr.TokenEndpoint}";
            yield return $"{prefix}Authentication:ClientId=impress";
            yield return $"{prefix}Authentication:ClientSecret=test-secret";
            yield return $"{prefix}Authentication:Scope=system/CarePlan.cu system/ResearchStudy.cu system/ResearchSubject.cu";
        }
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, double seconds = 20)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Still not so after {seconds} s: {what}.");
            }

            await Task.Delay(100);
        }
    }

    public static Task<T> EventuallyAsync<T>(Func<T?> probe, string what, double seconds = 20)
        where T : class => EventuallyAsync(() => Task.FromResult(probe()), what, seconds);

    /// <summary>The example report as the <paramref name="n"/>th patient's, managed by the hospital with that organisation number.</summary>
    public static Bundle ReportOf(int n, string organizationNumber = OsloOrganizationNumber)
    {
        return ExampleReports.OfPatient(n, organizationNumber: organizationNumber);
    }

    public static string PatientOf(Bundle response) =>
        response.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];

    public async Task<Hl7.Fhir.Model.Task> ReviewOfAsync(string patient, string arm)
    {
        var found = await Client().SearchAsync<Hl7.Fhir.Model.Task>([$"identifier={ReviewTasks.IdentifierSystem}|{patient.Split('/')[1]}|{arm}"]);
        return (Hl7.Fhir.Model.Task)Assert.Single(found!.Entry).Resource!;
    }

    public async Task<Hl7.Fhir.Model.Task?> DeliveryOfAsync(string focus)
    {
        var found = await Client().SearchAsync<Hl7.Fhir.Model.Task>([$"identifier={DeliveryTasks.IdentifierSystem}|{focus}"]);
        return found!.Entry.Select(e => (Hl7.Fhir.Model.Task)e.Resource!).SingleOrDefault();
    }

    public async Task<CarePlan> ProposalAsync(string patient, string arm) =>
        (await MatchingTests.ProposalsOf(Client(), patient)).Single(p => p.Identifier.Any(i => i.System == MatchResources.ProposalIdentifierSystem && i.Value!.EndsWith("|" + arm, StringComparison.Ordinal)));

    /// <summary>The Mol-MDT accepts the proposal in a cohort, by updating the review Task with the SDK's client.</summary>
    public async Task<Hl7.Fhir.Model.Task> AcceptAsync(Hl7.Fhir.Model.Task review, string cohort)
    {
        review.Status = Hl7.Fhir.Model.Task.TaskStatus.Completed;
        review.BusinessStatus = Workflow.Concept("accepted");
        review.Output = [new Hl7.Fhir.Model.Task.OutputComponent { Type = Workflow.Concept(ReviewTasks.CohortOutput), Value = new ResourceReference(cohort) }];
        return (await Client().UpdateAsync(review))!;
    }

    /// <summary>Whether the delivery Task of <paramref name="focus"/> has come to the status, returning it then.</summary>
    public async Task<Hl7.Fhir.Model.Task> DeliveryReachesAsync(string focus, Hl7.Fhir.Model.Task.TaskStatus status, double seconds = 20) =>
        await EventuallyAsync(async () => await DeliveryOfAsync(focus) is { } task && task.Status == status ? task : null, $"the delivery of {focus} is {status}", seconds);
}
