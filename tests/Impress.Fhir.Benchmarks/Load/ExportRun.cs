using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Export;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Benchmarks.Load;

/// <summary>
/// An export run: <c>impress serve</c>'s embedded store (in this process) filled with the example report of many
/// patients, each with identifying details, then exported whole by the export runner the server's stage uses, slice
/// after slice on one thread (one core): raw, and de-identified with the registry policy. Prints resources/s and
/// the largest managed heap and the most memory still alive between slices, at each store size, so memory can be seen not to grow with it.
/// </summary>
/// <remarks>dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- export --resources 100000</remarks>
public static class ExportRun
{
    public static async Task<int> MainAsync(string[] args)
    {
        var target = Option(args, "--resources", 100_000);
        await using var server = await InProcessServer.StartAsync("export", "--Pipeline:RunStages=false", "--Matching:SeedCatalog=");
        var store = server.Services.GetRequiredService<IFhirStore>();
        var indexer = server.Services.GetRequiredService<SearchIndexer>();
        var runner = server.Services.GetRequiredService<ExportRunner>();
        var kickoff = server.Services.GetRequiredService<ExportKickoff>();
        var policies = server.Services.GetRequiredService<ExportPolicies>();
        var output = Path.Combine(Path.GetTempPath(), $"impress-export-run-{Guid.NewGuid():N}");

        var stored = 0;
        var patient = 0;
        foreach (var size in new[] { target / 4, target / 2, target })
        {
            var seeding = Stopwatch.StartNew();
            while (stored < size)
            {
                stored += await SeedPatientAsync(store, indexer, ++patient);
            }

            Console.WriteLine($"Store: {stored:N0} resources of {patient:N0} patients (seeded in {seeding.Elapsed.TotalSeconds:F1} s).");
            foreach (var policy in new[] { null, ExportPolicies.Registry })
            {
                var (request, _) = kickoff.Parse(ExportLevel.System, null, [], "export run");
                var job = await runner.StartAsync(ExportJob.Start($"run-{size}-{policy ?? "raw"}", request! with { Policy = policy }, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow, CancellationToken.None);
                var anonymizer = policy is null ? null : policies.Get(policy);
                var folder = new DirectoryExportOutput(Path.Combine(output, policy ?? "raw"));
                GC.Collect();
                var peakHeap = 0L;
                var peakRetained = 0L;
                var clock = new Stopwatch();
                while (!job.IsFinished)
                {
                    clock.Start();
                    job = await runner.RunSliceAsync(job, folder, anonymizer, DateTimeOffset.UtcNow, CancellationToken.None);
                    clock.Stop();

                    // Between slices, outside the clock: the heap as the GC sized it, and what is still alive after a full collection.
                    peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                    peakRetained = Math.Max(peakRetained, GC.GetTotalMemory(forceFullCollection: true));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {policy ?? "raw",-9} {job.Exported,8:N0} resources in {clock.Elapsed.TotalSeconds,6:F2} s: {job.Exported / clock.Elapsed.TotalSeconds,8:N0} resources/s, {job.Output.Count} files, peak heap {peakHeap / 1048576.0:F0} MB, peak retained {peakRetained / 1048576.0:F0} MB"));
                Directory.Delete(Path.Combine(output, policy ?? "raw"), recursive: true);
            }
        }

        Console.WriteLine($"Target: >= 10,000 resources/s de-identified on one core; peak memory flat as the store grows.");
        return 0;
    }

    /// <summary>Stores the nth patient's report directly (as one commit, as a transaction would), without the HTTP surface's validation.</summary>
    private static async Task<int> SeedPatientAsync(IFhirStore store, SearchIndexer indexer, int n)
    {
        var bundle = IdentifiableReports.OfPatient(n);
        var ids = bundle.Entry.ToDictionary(e => e.FullUrl!, e => e.Resource!.TypeName + "/" + Guid.NewGuid().ToString("N"), StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        var writes = new List<ResourceWrite>();
        foreach (var entry in bundle.Entry)
        {
            var resource = entry.Resource!;
            resource.Id = ids[entry.FullUrl!].Split('/')[1];
            foreach (var reference in FhirTree.Descendants(resource).OfType<ResourceReference>())
            {
                if (reference.Reference is { } literal && ids.TryGetValue(literal, out var resolved))
                {
                    reference.Reference = resolved;
                }
            }

            resource.Meta ??= new Meta();
            resource.Meta.VersionId = "1";
            resource.Meta.LastUpdated = now;
            var json = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(resource));
            writes.Add(new ResourceWrite(new ResourceVersion(resource.TypeName, resource.Id, 1, now, false, json), 0, indexer.Index(resource)));
        }

        await store.CommitAsync(new StoreCommit(writes, []) { FlushToDisk = false });
        return writes.Count;
    }

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
