using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Export;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests.Export;

/// <summary>
/// An export job's life: cancelled mid-way, resumed by a restarted server, expired, and pseudonyms under another
/// key. The servers run their stages only where the test says, so "mid-way" is a state the test puts the job in.
/// </summary>
public sealed class ExportLifecycleTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "impress-export-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async System.Threading.Tasks.Task A_job_cancelled_mid_way_answers_404_and_leaves_no_file()
    {
        await using var server = await StartAsync("--Pipeline:RunStages=false", "--Export:SliceSize=3", "--Export:PageSize=3");
        await SeededExportFixture.SeedAsync(server, [], waitForPipeline: false);
        var bulk = new BulkExportClient(server.Http);
        var status = await bulk.StartAsync("$export?_anonymizationConfig=registry");
        var jobId = status.Segments[^1];

        // The start, then slices until two files are written: the job is half way.
        var jobFolder = Path.Combine(_data, "exports", jobId);
        Assert.Equal(1, await ExportSteps.DriveAsync(server, 1));
        for (var step = 0; step < 20 && !(Directory.Exists(jobFolder) && Directory.GetFiles(jobFolder, "*.ndjson").Length >= 2); step++)
        {
            Assert.Equal(1, await ExportSteps.DriveAsync(server, 1));
        }

        Assert.Equal(2, Directory.GetFiles(jobFolder, "*.ndjson").Length);
        using (var running = await server.Http.GetAsync(status))
        {
            Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
            var written = Directory.GetFiles(jobFolder, "*.ndjson").Sum(f => File.ReadAllLines(f).Length);
            Assert.StartsWith($"{written} resources exported; ", string.Join(",", running.Headers.GetValues("X-Progress")), StringComparison.Ordinal);
        }

        using (var cancel = await server.Http.DeleteAsync(status))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        using (var gone = await server.Http.GetAsync(status))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.False(Directory.Exists(jobFolder));

        // The next step, already queued, finds no job and writes nothing.
        Assert.Equal(1, await ExportSteps.DriveAsync(server, 10));
        Assert.False(Directory.Exists(jobFolder));
        using var again = await server.Http.DeleteAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_job_interrupted_by_a_restart_resumes_and_exports_everything_once()
    {
        Uri status;
        int expected;
        await using (var first = await StartAsync("--Pipeline:RunStages=false", "--Export:SliceSize=4", "--Export:PageSize=2"))
        {
            await SeededExportFixture.SeedAsync(first, [], waitForPipeline: false);
            expected = 0;
            foreach (var type in first.Services.GetRequiredService<ExportKickoff>().SystemTypes)
            {
                expected += (await first.Client().SearchAsync(type, pageSize: 1000))!.Entry.Count;
            }

            var bulk = new BulkExportClient(first.Http);
            status = await bulk.StartAsync("$export");
            Assert.Equal(4, await ExportSteps.DriveAsync(first, 4));

            // A worker that wrote its slice's file and died before recording it: the file is there, the job does not know it.
            var jobs = first.Services.GetRequiredService<ExportJobStore>();
            var (job, _) = (await jobs.ReadAsync(status.Segments[^1], CancellationToken.None))!.Value;
            var runner = first.Services.GetRequiredService<ExportRunner>();
            var files = first.Services.GetRequiredService<IExportFileStore>();
            await runner.RunSliceAsync(job, files.For(job.Id), null, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        // The same data, another process: the queued step is picked up and the job runs to the end.
        await using var second = await StartAsync();
        var manifest = await new BulkExportClient(second.Http).WaitAsync(new Uri(second.BaseUrl, "_export/" + status.Segments[^1]));
        var resources = BulkExportClient.Parse(await new BulkExportClient(second.Http).DownloadAsync(manifest));

        Assert.Equal(expected, resources.Count);
        Assert.Equal(resources.Count, resources.Select(r => r.TypeName + "/" + r.Id).Distinct().Count());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_finished_export_expires_with_its_files()
    {
        await using var server = await StartAsync("--Export:FileLifetime=00:00:01");
        await SeededExportFixture.SeedAsync(server, [], waitForPipeline: false);
        var bulk = new BulkExportClient(server.Http);
        var status = await bulk.StartAsync("$export?_type=Patient");
        var manifest = await bulk.WaitAsync(status);
        Assert.NotEmpty(manifest.GetProperty("output").EnumerateArray());
        var jobFolder = Path.Combine(_data, "exports", status.Segments[^1]);
        Assert.True(Directory.Exists(jobFolder));

        await System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(1.5));

        // The sweep (every Export:SweepInterval) removes it; polling an expired job would too.
        Assert.Equal(1, await server.Services.GetRequiredService<ExportOperations>().RemoveExpiredAsync(CancellationToken.None));
        using var expired = await server.Http.GetAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.False(Directory.Exists(jobFolder));
        using var file = await server.Http.GetAsync(manifest.GetProperty("output")[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Pseudonyms_differ_under_another_key_and_stay_under_the_same()
    {
        IReadOnlyList<string> first;
        await using (var server = await StartAsync("--Export:Keys:CryptoHashKey=first-key-of-the-registry-0123456789"))
        {
            await SeededExportFixture.SeedAsync(server, [], waitForPipeline: false);
            first = await PatientPseudonymsAsync(server);
        }

        await using (var sameKey = await StartAsync("--Export:Keys:CryptoHashKey=first-key-of-the-registry-0123456789"))
        {
            Assert.Equal(first, await PatientPseudonymsAsync(sameKey));
        }

        await using var otherKey = await StartAsync("--Export:Keys:CryptoHashKey=second-key-of-the-registry-987654321");
        var second = await PatientPseudonymsAsync(otherKey);
        Assert.Equal(first.Count, second.Count);
        Assert.Empty(first.Intersect(second));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> PatientPseudonymsAsync(ServerFixture server)
    {
        var bulk = new BulkExportClient(server.Http);
        var patients = BulkExportClient.Parse(await bulk.DownloadAsync(await bulk.WaitAsync(await bulk.StartAsync("$export?_type=Patient&_anonymizationConfig=registry"))));
        Assert.Equal(SeededExportFixture.Patients, patients.Count);
        return [.. patients.Cast<Patient>().SelectMany(p => p.Identifier.Select(i => i.Value!).Append(p.Id!)).Order(StringComparer.Ordinal)];
    }

    private async Task<DataServer> StartAsync(params string[] configuration)
    {
        var server = new DataServer(configuration, _data);
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A server on this test's data folder, which outlives it.</summary>
    private sealed class DataServer(IReadOnlyList<string> configuration, string data) : ServerFixture(configuration, data), IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
