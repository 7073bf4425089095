using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Api.Tests.Export;

/// <summary>A Bulk Data client as registry staff would script one: kick off, poll the status URL, download the files.</summary>
public sealed class BulkExportClient(HttpClient http)
{
    public async Task<HttpResponseMessage> KickOffAsync(string path, bool respondAsync = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        if (respondAsync)
        {
            request.Headers.Add("Prefer", "respond-async");
        }

        return await http.SendAsync(request);
    }

    /// <summary>Kicks off and returns the status URL, failing the test unless the server accepted.</summary>
    public async Task<Uri> StartAsync(string path)
    {
        using var response = await KickOffAsync(path);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Content.Headers.ContentLocation ?? throw new InvalidOperationException("No Content-Location.");
    }

    /// <summary>Polls until the job is done and returns the manifest; the progress headers seen on the way go to <paramref name="progress"/>.</summary>
    public async Task<JsonElement> WaitAsync(Uri status, List<string>? progress = null, double seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            using var response = await http.GetAsync(status);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            progress?.Add(string.Join(",", response.Headers.GetValues("X-Progress")));
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The export at {status} did not finish in {seconds} s.");
            }

            await System.Threading.Tasks.Task.Delay(50);
        }
    }

    /// <summary>Every line of every file of the manifest, as (type, line).</summary>
    public async Task<IReadOnlyList<(string Type, string Line)>> DownloadAsync(JsonElement manifest)
    {
        var lines = new List<(string, string)>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            using var response = await http.GetAsync(output.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/fhir+ndjson", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            var fileLines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(output.GetProperty("count").GetInt64(), fileLines.Length);
            lines.AddRange(fileLines.Select(line => (output.GetProperty("type").GetString()!, line)));
        }

        return lines;
    }

    /// <summary>The lines as resources, each checked to be of the type its file says.</summary>
    public static IReadOnlyList<Resource> Parse(IEnumerable<(string Type, string Line)> lines) =>
        lines.Select(l =>
        {
            var resource = FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(l.Line)).Resource;
            Assert.Equal(l.Type, resource.TypeName);
            return resource;
        }).ToList();
}
