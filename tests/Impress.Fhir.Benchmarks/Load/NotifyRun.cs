using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;
using Task = System.Threading.Tasks.Task;

namespace Impress.Fhir.Benchmarks.Load;

/// <summary>
/// A notification run on loopback: <c>impress serve</c> (SQLite, in this process) with N active careplan-update
/// subscriptions, one per hospital (organization filter), all to one WireMock endpoint; CarePlans of those
/// hospitals' patients are created at a fixed rate. Prints, per CarePlan, the delay from its create's answer to the
/// notification naming it arriving at the endpoint, and whether every event arrived once.
/// </summary>
/// <remarks>dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- notify --subscriptions 50 --rate 100 --seconds 20</remarks>
public static class NotifyRun
{
    public static async Task<int> MainAsync(string[] args)
    {
        var subscriptions = Option(args, "--subscriptions", 50);
        var rate = Option(args, "--rate", 100);
        var seconds = Option(args, "--seconds", 20);
        using var endpoint = new FakeSubscriber();
        await using var server = await InProcessServer.StartAsync("notify", "--Matching:SeedCatalog=");

        Console.WriteLine($"Creating {subscriptions} hospitals' patients and subscriptions...");
        var hospitals = OrganizationNumbers().Take(subscriptions).ToArray();
        var patients = new string[subscriptions];
        var subscriptionIds = new string[subscriptions];
        for (var i = 0; i < subscriptions; i++)
        {
            var patient = new Patient
            {
                Identifier = [new Identifier(NorwegianIdentifierSystems.NationalIdentityNumber, SyntheticIdentities.NationalId(70_000 + i))],
                ManagingOrganization = new ResourceReference { Identifier = new Identifier(NorwegianIdentifierSystems.OrganizationNumber, hospitals[i]) },
            };
            patients[i] = "Patient/" + (await server.Client().CreateAsync(patient))!.Id;
            var subscription = ExampleSubscriptions.CarePlans(endpoint.Endpoint, "CarePlan?organization=" + hospitals[i], "id-only");
            subscriptionIds[i] = (await server.Client().CreateAsync(subscription))!.Id!;
        }

        await UntilAsync(() => endpoint.Received.Count(n => n.Type == "handshake") >= subscriptions, TimeSpan.FromMinutes(1));
        await Task.Delay(TimeSpan.FromSeconds(3)); // every instance's view of the subscriptions is refreshed

        Console.WriteLine($"Creating CarePlans at {rate}/s for {seconds} s...");
        var created = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var queue = server.Services.GetRequiredService<Impress.Fhir.Storage.IStageQueue>();
        var depths = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var name in new[] { Impress.Fhir.Storage.StageQueues.Events, Impress.Fhir.Storage.StageQueues.Notify })
                {
                    var depth = await queue.CountAsync(name);
                    depths.AddOrUpdate(name, depth, (_, d) => Math.Max(d, depth));
                }

                await Task.Delay(100);
            }
        });
        var clock = Stopwatch.StartNew();
        var total = rate * seconds;
        using var senders = new SemaphoreSlim(16);
        var sends = new List<Task>();
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            await senders.WaitAsync();
            var patient = patients[n % subscriptions];
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var plan = new CarePlan { Identifier = [new Identifier("urn:impress:load", Guid.NewGuid().ToString())], Status = RequestStatus.Draft, Intent = CarePlan.CarePlanIntent.Proposal, Subject = new ResourceReference(patient), Title = "load" };
                    var stored = (await server.Client().CreateAsync(plan))!;
                    created[new Uri(server.Http.BaseAddress!, "CarePlan/" + stored.Id).ToString()] = DateTimeOffset.UtcNow;
                }
                finally
                {
                    senders.Release();
                }
            }));
        }

        await Task.WhenAll(sends);
        var sent = clock.Elapsed;
        await UntilAsync(() => endpoint.Events.Count >= total, TimeSpan.FromMinutes(5));
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine($"  deepest queues: {string.Join(", ", depths.Select(d => $"{d.Key} {d.Value}"))}.");
        var arrived = endpoint.Events.SelectMany(n => n.NotificationEvents.Select(e => (n.Subscription, e.Number, e.Focus, n.At))).ToList();
        var delays = arrived.Where(a => a.Focus is not null && created.ContainsKey(a.Focus))
            .Select(a => (a.At - created[a.Focus!]).TotalMilliseconds).Order().ToArray();
        double Percentile(double p) => delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p * delays.Length) - 1)];
        var gapless = arrived.GroupBy(a => a.Subscription).All(g => g.Select(a => a.Number).SequenceEqual(Enumerable.Range(1, g.Count()).Select(i => (long)i)));
        Console.WriteLine($"  {total} CarePlans created in {sent.TotalSeconds:F1} s ({total / sent.TotalSeconds:F0}/s); {arrived.Count} event notifications arrived ({arrived.Select(a => a.Focus).Distinct().Count()} distinct), every subscription's numbers in order without gaps: {gapless}.");
        Console.WriteLine($"  event -> delivered notification: p50 {Percentile(0.50):F0} ms, p90 {Percentile(0.90):F0} ms, p99 {Percentile(0.99):F0} ms, max {delays[^1]:F0} ms (target p99 < 1000 ms).");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback) =>
        int.Parse(args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Valid organisation numbers (mod-11 check digit), synthetic: 9xxxxxxxx.</summary>
    private static IEnumerable<string> OrganizationNumbers()
    {
        int[] weights = [3, 2, 7, 6, 5, 4, 3, 2];
        for (var body = 91_000_000; ; body++)
        {
            var digits = body.ToString(CultureInfo.InvariantCulture);
            var check = 11 - (digits.Select((d, i) => (d - '0') * weights[i]).Sum() % 11);
            if (check != 10)
            {
                yield return digits + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The endpoint did not get everything in time.");
            }

            await Task.Delay(20);
        }
    }
}
