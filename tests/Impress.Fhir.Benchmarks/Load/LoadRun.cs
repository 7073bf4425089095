using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Benchmarks.Load;

/// <summary>
/// A load run on a running server: POSTs TSO500-sized report transactions, each a different synthetic patient,
/// at a fixed rate (open loop: a slow server does not slow the senders, so latencies include queueing) or as fast
/// as a number of concurrent senders allows, and prints throughput and latency percentiles.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- load --url http://127.0.0.1:8080/fhir --rate 200 --seconds 30
/// dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- load --url ... --concurrency 8 --seconds 30
/// </remarks>
public sealed class LoadRun
{
    private readonly Uri _baseUrl;
    private readonly double _rate;
    private readonly int _concurrency;
    private readonly TimeSpan _duration;
    private readonly int _variants;
    private readonly int _firstPatient;

    private LoadRun(Uri baseUrl, double rate, int concurrency, TimeSpan duration, int variants, int firstPatient)
    {
        _baseUrl = baseUrl;
        _rate = rate;
        _concurrency = concurrency;
        _duration = duration;
        _variants = variants;
        _firstPatient = firstPatient;
    }

    public static async Task<int> MainAsync(string[] args)
    {
        string Option(string name, string fallback) =>
            args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

        var run = new LoadRun(
            new Uri(Option("--url", "http://127.0.0.1:8080/fhir").TrimEnd('/') + "/"),
            double.Parse(Option("--rate", "0"), CultureInfo.InvariantCulture),
            int.Parse(Option("--concurrency", "8"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("--seconds", "30"), CultureInfo.InvariantCulture)),
            int.Parse(Option("--variants", "40"), CultureInfo.InvariantCulture),
            int.Parse(Option("--first-patient", Random.Shared.Next(1_000_000).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
        return await run.RunAsync();
    }

    private async Task<int> RunAsync()
    {
        var count = _rate > 0 ? (int)Math.Ceiling(_rate * _duration.TotalSeconds) : (int)Math.Ceiling(2_000 * _duration.TotalSeconds);
        Console.WriteLine($"Preparing {(_rate > 0 ? count : "up to " + count)} report bundles of {SyntheticReports.ResourceCount(_variants)} resources...");
        var bodies = new Lazy<byte[]>[count];
        for (var i = 0; i < count; i++)
        {
            var patient = _firstPatient + i;
            bodies[i] = new Lazy<byte[]>(() => Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(_variants, patient))));
        }

        // Build the bodies before the clock starts, on all cores (for a closed loop, the first 2,000: building one
        // costs more than the server spends on it, so later ones built on demand would slow the senders down).
        Parallel.For(0, _rate > 0 ? count : Math.Min(count, 2_000), i => _ = bodies[i].Value);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = _baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        using (var warmUp = await http.PostAsync("", Content(bodies[0].Value)))
        {
            Console.WriteLine($"Warm-up post: {(int)warmUp.StatusCode}");
        }

        var results = _rate > 0 ? await OpenLoopAsync(http, bodies) : await ClosedLoopAsync(http, bodies);
        Report(results);
        return results.All(r => r.Status is HttpStatusCode.OK) ? 0 : 1;
    }

    private async Task<List<Sample>> OpenLoopAsync(HttpClient http, Lazy<byte[]>[] bodies)
    {
        Console.WriteLine($"Posting at {_rate} bundles/s for {_duration.TotalSeconds} s (open loop)...");
        var clock = Stopwatch.StartNew();
        var pending = new List<Task<Sample>>(bodies.Length);
        for (var i = 1; i < bodies.Length; i++)
        {
            var due = TimeSpan.FromSeconds(i / _rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            pending.Add(SendAsync(http, bodies[i].Value, clock, due));
        }

        var samples = (await Task.WhenAll(pending)).ToList();
        Console.WriteLine($"Sent {samples.Count} in {clock.Elapsed.TotalSeconds:F1} s.");
        return samples;
    }

    private async Task<List<Sample>> ClosedLoopAsync(HttpClient http, Lazy<byte[]>[] bodies)
    {
        Console.WriteLine($"Posting with {_concurrency} concurrent senders for {_duration.TotalSeconds} s (closed loop)...");
        var clock = Stopwatch.StartNew();
        var next = 0;
        var samples = new List<Sample>();
        var senders = Enumerable.Range(0, _concurrency).Select(async _ =>
        {
            var mine = new List<Sample>();
            int i;
            while (clock.Elapsed < _duration && (i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                mine.Add(await SendAsync(http, bodies[i].Value, clock, clock.Elapsed));
            }

            return mine;
        });
        foreach (var mine in await Task.WhenAll(senders))
        {
            samples.AddRange(mine);
        }

        return samples;
    }

    private static async Task<Sample> SendAsync(HttpClient http, byte[] body, Stopwatch clock, TimeSpan due)
    {
        try
        {
            using var response = await http.PostAsync("", Content(body));
            await response.Content.ReadAsByteArrayAsync();
            return new Sample(due, clock.Elapsed, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return new Sample(due, clock.Elapsed, 0);
        }
    }

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/fhir+json");
        return content;
    }

    private void Report(List<Sample> samples)
    {
        var latencies = samples.Select(s => (s.Done - s.Due).TotalMilliseconds).Order().ToArray();
        var span = samples.Max(s => s.Done) - samples.Min(s => s.Due);
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p / 100 * latencies.Length) - 1)];

        Console.WriteLine();
        Console.WriteLine($"Bundles:     {samples.Count} of {SyntheticReports.ResourceCount(_variants)} resources ({string.Join(", ", samples.GroupBy(s => s.Status).Select(g => $"{(int)g.Key}: {g.Count()}"))})");
        Console.WriteLine($"Throughput:  {samples.Count / span.TotalSeconds:F1} bundles/s ({samples.Count * SyntheticReports.ResourceCount(_variants) / span.TotalSeconds:F0} resources/s)");
        Console.WriteLine($"Latency ms:  p50 {Percentile(50):F1}  p90 {Percentile(90):F1}  p99 {Percentile(99):F1}  max {latencies[^1]:F1}");
    }

    private readonly record struct Sample(TimeSpan Due, TimeSpan Done, HttpStatusCode Status);
}
