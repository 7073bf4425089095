using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Cli.Serve;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Cli.Tests;

/// <summary><c>impress export</c> over a store that <c>impress serve</c> filled, raw and de-identified.</summary>
public sealed class ExportCommandTests : IAsyncLifetime
{
    private const int Patients = 3;

    private readonly string _data = Directory.CreateTempSubdirectory("impress-export-data").FullName;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "impress-export-out-" + Guid.NewGuid().ToString("N"));

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        await using var app = ServerHost.Build(new ServeSettings("http://127.0.0.1:0", _data, null, "sqlite", ["--Pipeline:RunStages=false", "--Logging:LogLevel:Default=Warning"]));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        var client = new FhirClient(address.TrimEnd('/') + "/fhir", http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });
        for (var n = 1; n <= Patients; n++)
        {
            await client.TransactionAsync(IdentifiableReports.OfPatient(n));
        }

        await app.StopAsync();
    }

    public System.Threading.Tasks.Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }

        return System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public void A_de_identified_export_writes_ndjson_and_a_manifest_with_the_genomics_and_no_person()
    {
        var run = CliRun.Of("export", "--data", _data, "-o", _output, "--anonymization-config", "registry");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("types,", run.Error, StringComparison.Ordinal);      // the progress
        Assert.Contains("de-identified with registry", run.Output, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "manifest.json")));
        var outputs = manifest.RootElement.GetProperty("output").EnumerateArray().ToList();
        Assert.NotEmpty(outputs);
        var resources = new List<Resource>();
        foreach (var output in outputs)
        {
            var lines = File.ReadAllLines(Path.Combine(_output, output.GetProperty("url").GetString()!));
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Length);
            foreach (var line in lines)
            {
                for (var n = 1; n <= Patients; n++)
                {
                    Assert.Null(IdentifiableReports.Person(n).FoundIn(line));
                }

                resources.Add(FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(line)).Resource);
            }
        }

        Assert.Equal(Patients, resources.OfType<Patient>().Count());
        Assert.Contains(resources.OfType<Observation>(), o => o.Component.Count > 0);
        Assert.DoesNotContain(Directory.GetFiles(_output), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void A_raw_export_of_some_types_since_an_instant_and_bad_arguments()
    {
        var run = CliRun.Of("export", "--data", _data, "-o", _output, "--type", "Patient,DiagnosticReport", "--since", "2000-01-01T00:00:00Z");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Equal(["DiagnosticReport-1.ndjson", "Patient-1.ndjson", "manifest.json"], Directory.GetFiles(_output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains(IdentifiableReports.Person(1).NationalId, File.ReadAllText(Path.Combine(_output, "Patient-1.ndjson")), StringComparison.Ordinal);

        var badType = CliRun.Of("export", "--data", _data, "-o", _output, "--type", "Nonsense");
        Assert.Equal(ExitCodes.UnreadableOrUsage, badType.ExitCode);
        Assert.Contains("_type 'Nonsense'", badType.Error, StringComparison.Ordinal);

        var badPolicy = CliRun.Of("export", "--data", _data, "-o", _output, "--anonymization-config", "no-such-policy");
        Assert.Equal(ExitCodes.UnreadableOrUsage, badPolicy.ExitCode);
        Assert.Contains("neither a configured de-identification policy", badPolicy.Error, StringComparison.Ordinal);
    }
}
