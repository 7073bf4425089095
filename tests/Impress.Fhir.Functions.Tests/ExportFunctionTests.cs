using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Functions.Tests;

/// <summary>Bulk Data export through the Functions app on Azurite: kicked off by the HTTP function, run by the export queue trigger, files in the export container.</summary>
public sealed class ExportFunctionTests(FunctionsFixture functions) : IClassFixture<FunctionsFixture>
{
    [Fact]
    public async System.Threading.Tasks.Task A_de_identified_export_kicked_off_through_the_HTTP_function_is_run_by_the_export_trigger()
    {
        for (var n = 901; n <= 903; n++)
        {
            Assert.Equal(200, (await functions.SendAsync("POST", "", FhirJson.Serialize(IdentifiableReports.OfPatient(n)))).Status);
        }

        var kickOff = await functions.SendAsync("GET", "$export?_type=Patient,Observation,DiagnosticReport&_anonymizationConfig=registry", headers: new Dictionary<string, string> { ["Prefer"] = "respond-async" });
        Assert.Equal(202, kickOff.Status);
        var status = kickOff.Headers.ContentLocation.ToString().Split("/fhir/")[1];

        var running = await functions.SendAsync("GET", status);
        Assert.Equal(202, running.Status);
        Assert.Equal("queued", running.Headers["X-Progress"].ToString());

        await functions.Queues.DrainAsync();
        var done = await functions.SendAsync("GET", status);
        Assert.Equal(200, done.Status);
        using var manifest = JsonDocument.Parse(done.Body);
        var outputs = manifest.RootElement.GetProperty("output").EnumerateArray().ToList();
        Assert.True(outputs.Count > 3);     // slices of 10: several files of Observations
        var resources = new List<Resource>();
        foreach (var output in outputs)
        {
            var file = await functions.SendAsync("GET", output.GetProperty("url").GetString()!.Split("/fhir/")[1]);
            Assert.Equal(200, file.Status);
            Assert.Equal("application/fhir+ndjson", file.Headers.ContentType.ToString());
            var lines = file.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Length);
            foreach (var line in lines)
            {
                for (var n = 901; n <= 903; n++)
                {
                    Assert.Null(IdentifiableReports.Person(n).FoundIn(line));
                }

                resources.Add(FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(line)).Resource);
            }
        }

        Assert.True(resources.OfType<Patient>().Count() >= 3);
        Assert.Contains(resources.OfType<Observation>(), o => o.Component.Count > 0);
        Assert.Equal(resources.Count, resources.Select(r => r.TypeName + "/" + r.Id).Distinct().Count());

        // Two days on, the timer's sweep finds it expired (the files live Export:FileLifetime, 24 h) and removes it with its blobs.
        var fileName = outputs[0].GetProperty("url").GetString()!.Split('/')[^1];
        var jobId = status.Split('/')[^1];
        Assert.NotNull(await functions.Store.ExportFiles.OpenReadAsync(jobId, fileName));
        var later = new LaterTime(TimeSpan.FromDays(2));
        var sweep = ActivatorUtilities.CreateInstance<ExportsFunction>(functions.Services, ActivatorUtilities.CreateInstance<ExportOperations>(functions.Services, later));
        await sweep.RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(404, (await functions.SendAsync("GET", status)).Status);
        Assert.Null(await functions.Store.ExportFiles.OpenReadAsync(jobId, fileName));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cancelled_export_leaves_neither_job_nor_blobs()
    {
        Assert.Equal(200, (await functions.SendAsync("POST", "", FhirJson.Serialize(IdentifiableReports.OfPatient(911)))).Status);
        var kickOff = await functions.SendAsync("GET", "$export?_type=Patient", headers: new Dictionary<string, string> { ["Prefer"] = "respond-async" });
        var status = kickOff.Headers.ContentLocation.ToString().Split("/fhir/")[1];
        await functions.Queues.DrainAsync();
        using var manifest = JsonDocument.Parse((await functions.SendAsync("GET", status)).Body);
        var outputs = manifest.RootElement.GetProperty("output").EnumerateArray().ToList();
        Assert.NotEmpty(outputs);

        // Cancelled: the job and its blobs are gone.
        Assert.Equal(202, (await functions.SendAsync("DELETE", status)).Status);
        Assert.Equal(404, (await functions.SendAsync("GET", status)).Status);
        Assert.Equal(404, (await functions.SendAsync("GET", outputs[0].GetProperty("url").GetString()!.Split("/fhir/")[1])).Status);
        Assert.Null(await functions.Store.ExportFiles.OpenReadAsync(status.Split('/')[^1], outputs[0].GetProperty("url").GetString()!.Split('/')[^1]));
    }

    /// <summary>The clock some time from now.</summary>
    private sealed class LaterTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
