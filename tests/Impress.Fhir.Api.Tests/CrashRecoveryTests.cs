using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary>kill -9 under load: every acknowledged report survives whole, and no report is stored in part.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Variants = 6;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "impress-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Killing_the_server_under_load_loses_no_acknowledged_report_and_leaves_none_half_stored()
    {
        var acknowledged = new ConcurrentBag<int>();
        var sent = new ConcurrentBag<int>();
        using (var server = await ServerProcess.StartAsync(_data, TimeSpan.FromSeconds(30)))
        {
            using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            var next = 9_000;
            var clock = Stopwatch.StartNew();
            var senders = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var patient = Interlocked.Increment(ref next);
                    var json = FhirJson.Serialize(SyntheticReports.Create(Variants, patient));
                    sent.Add(patient);
                    try
                    {
                        using var response = await http.PostAsync("", new StringContent(json, System.Text.Encoding.UTF8, "application/fhir+json"));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(patient);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // The server is gone.
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            while (acknowledged.Count < 15 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }

            server.Kill();
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 15, $"Only {acknowledged.Count} reports were acknowledged before the kill.");
        Assert.True(sent.Count > acknowledged.Count, "The kill should catch reports in flight.");

        using var restarted = await ServerProcess.StartAsync(_data, TimeSpan.FromSeconds(30));
        using var restartedHttp = new HttpClient { BaseAddress = restarted.BaseUrl };
        var client = new FhirClient(restarted.BaseUrl, restartedHttp, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = false });
        var acknowledgedSet = acknowledged.ToHashSet();
        foreach (var patient in sent)
        {
            var stored = await StoredObservationCountAsync(client, patient);
            if (acknowledgedSet.Contains(patient))
            {
                Assert.Equal(Variants + 2, stored);
            }
            else
            {
                Assert.True(stored is null or Variants + 2, $"Report of patient {patient} is stored in part ({stored} observations).");
            }
        }
    }

    /// <summary>How many observations the patient's stored report has, or null when neither patient nor report exist.</summary>
    private static async Task<int?> StoredObservationCountAsync(FhirClient client, int patient)
    {
        var nationalId = SyntheticIdentities.NationalId(patient);
        var patients = await client.SearchAsync<Patient>([$"identifier={NorwegianIdentifierSystems.NationalIdentityNumber}|{nationalId}"]);
        if (patients!.Entry.Count == 0)
        {
            return null;
        }

        var subject = "Patient/" + Assert.Single(patients.Entry).Resource!.Id;
        var report = Assert.Single((await client.SearchAsync<DiagnosticReport>([$"subject={subject}"]))!.Entry).Resource as DiagnosticReport;
        var observations = await client.SearchAsync<Observation>([$"subject={subject}"], pageSize: 100);
        Assert.Equal(report!.Result.Count, observations!.Entry.Count);
        return observations.Entry.Count;
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
