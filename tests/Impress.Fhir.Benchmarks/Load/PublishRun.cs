using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Review;
using Impress.Fhir.Testing;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Benchmarks.Load;

/// <summary>
/// A publishing run on loopback: <c>impress serve</c> (SQLite, in this process) routes a hospital to a WireMock EHR;
/// reports of N patients are posted (three proposals each, published at once), then the Mol-MDT declines one
/// proposal of each patient, N decisions from 4 clients. Prints the outbox's throughput and, per decision, the delay
/// from the decision's answer to the revoked CarePlan arriving at the EHR.
/// </summary>
/// <remarks>dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- publish --patients 1000</remarks>
public static class PublishRun
{
    private const string OsloOrganizationNumber = "993467049";

    public static async Task<int> MainAsync(string[] args)
    {
        var patients = int.Parse(args.SkipWhile(a => a != "--patients").Skip(1).FirstOrDefault() ?? "1000", CultureInfo.InvariantCulture);
        using var ehr = new FakeEhr();
        await using var server = await InProcessServer.StartAsync(
            "publish",
            "--Publishing:Hospitals:0:Name=OUS",
            $"--Publishing:Hospitals:0:OrganizationNumbers:0={OsloOrganizationNumber}",
            $"--Publishing:Hospitals:0:FhirBaseUrl={ehr.FhirBase}");

        Console.WriteLine($"Posting {patients} reports (3 proposals each, published at once)...");
        var clock = Stopwatch.StartNew();
        var patientIds = new string[patients];
        await Parallel.ForEachAsync(Enumerable.Range(0, patients), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            var response = await server.Client().TransactionAsync(ExampleReports.OfPatient(900_000 + i, organizationNumber: OsloOrganizationNumber), token);
            patientIds[i] = response!.Entry.Select(e => e.Response!.Location!).Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split("/_history")[0];
        });
        var posted = clock.Elapsed;
        await UntilAsync(() => ehr.Stored("CarePlan").Count >= 3 * patients, TimeSpan.FromMinutes(10));
        var proposalsDelivered = clock.Elapsed;
        Console.WriteLine($"  {patients} reports posted in {posted.TotalSeconds:F1} s; {3 * patients} proposal CarePlans at the EHR after {proposalsDelivered.TotalSeconds:F1} s.");

        Console.WriteLine($"Deciding {patients} reviews (declining alectinib), 4 clients...");
        var decided = new DateTimeOffset[patients];
        var keys = new string[patients];
        var reviews = new FhirTask[patients];
        await Parallel.ForEachAsync(Enumerable.Range(0, patients), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            keys[i] = $"{patientIds[i].Split('/')[1]}|alectinib";
            var found = await server.Client().SearchAsync<FhirTask>([$"identifier={ReviewTasks.IdentifierSystem}|{keys[i]}"], ct: token);
            reviews[i] = (FhirTask)found!.Entry.Single().Resource!;
        });
        var deliveredBefore = ehr.Requests.Count;
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, patients), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
        {
            var review = reviews[i];
            review.Status = FhirTask.TaskStatus.Completed;
            review.BusinessStatus = Workflow.Concept("declined");
            review.StatusReason = new CodeableConcept { Text = "benchmark" };
            await server.Client().UpdateAsync(review, ct: token);
            decided[i] = DateTimeOffset.UtcNow;
        });
        var decisionsTook = clock.Elapsed;
        bool Revoked(FakeEhr.Received r) => r.Type == "CarePlan" && r.Status is 200 && r.Body.Contains("\"revoked\"", StringComparison.Ordinal);
        await UntilAsync(() => ehr.Requests.Skip(deliveredBefore).Count(Revoked) >= patients, TimeSpan.FromMinutes(10));
        var allDelivered = clock.Elapsed;

        var arrivals = ehr.Requests.Skip(deliveredBefore).Where(Revoked).GroupBy(r => r.Identifier).ToDictionary(g => g.Key, g => g.First().At);
        var delays = Enumerable.Range(0, patients)
            .Select(i => (arrivals[$"{MatchResources.ProposalIdentifierSystem}|{keys[i]}"] - decided[i]).TotalMilliseconds)
            .Order().ToArray();
        double Percentile(double p) => delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p * delays.Length) - 1)];
        Console.WriteLine($"  {patients} decisions answered in {decisionsTook.TotalSeconds:F1} s ({patients / decisionsTook.TotalSeconds:F0}/s); all revoked CarePlans at the EHR after {allDelivered.TotalSeconds:F1} s ({patients / allDelivered.TotalSeconds:F0} CarePlans/s).");
        Console.WriteLine($"  decision -> delivery: p50 {Percentile(0.50):F0} ms, p90 {Percentile(0.90):F0} ms, p99 {Percentile(0.99):F0} ms, max {delays[^1]:F0} ms (target p99 < 1000 ms).");
        Console.WriteLine($"  EHR requests in all: {ehr.Requests.Count}; CarePlans held: {ehr.Stored("CarePlan").Count} (expected {3 * patients}).");
        return 0;
    }

    private static async System.Threading.Tasks.Task UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The EHR did not get everything in time.");
            }

            await System.Threading.Tasks.Task.Delay(20);
        }
    }
}
