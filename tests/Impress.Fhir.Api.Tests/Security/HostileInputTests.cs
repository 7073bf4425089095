using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>
/// A server for the hostile-input run: no pipeline stages (nothing but requests writes to the store), small body
/// and bundle limits (so that going over them is cheap), and every log line kept, at every level and category.
/// </summary>
public sealed class HostileInputServerFixture() : ServerFixture(
[
    "--Pipeline:RunStages=false",
    $"--Fhir:MaxRequestBodyBytes={HostileRequests.MaxRequestBodyBytes}",
    $"--Fhir:MaxBundleEntries={HostileRequests.MaxBundleEntries}",
])
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureHost(WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(Logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);

        // A rule for this provider outranks the host's category rules (Microsoft.AspNetCore at Warning), so the
        // framework's own lines are kept too: whatever a sink could be configured to write.
        builder.Logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
    }
}

/// <summary>
/// Ten thousand generated hostile or malformed requests against a running server: none gets a 5xx, every 4xx is an
/// OperationOutcome that says what is wrong, every 2xx body is FHIR JSON, the server still answers afterwards, the
/// store holds exactly what the successful writes created, and no log line holds a patient's name or national id.
/// </summary>
public sealed class HostileInputTests(HostileInputServerFixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputServerFixture>
{
    private const int Seed = 20_261_202;

    /// <summary>Concurrent clients: enough to have requests overlap in the server, few enough for a 2-core machine.</summary>
    private const int Workers = 4;

    /// <summary>Offending responses shown in full per kind of problem; the rest are counted.</summary>
    private const int Shown = 8;

    /// <summary>Offending responses shown in full per cause, when a kind of problem has causes.</summary>
    private const int ShownPerCause = 2;

    /// <summary>Causes shown per kind of problem.</summary>
    private const int MaxCauses = 40;

    private static readonly Regex CreatedLocation = new(@"(?:^|/)(?<type>[A-Za-z][A-Za-z0-9.]*)/(?<id>[^/]+)/_history/1$", RegexOptions.CultureInvariant);

    private static readonly Regex ExportStatus = new(@"/_export/(?<job>[0-9a-f]{32})$", RegexOptions.CultureInvariant);

    private static readonly Regex TraceId = new(@"trace id (?<id>[^)\s]+)\)", RegexOptions.CultureInvariant);

    private static readonly Regex UnexpectedFailure = new(@"Unexpected failure handling a \S+ request \(trace id (?<id>[^)]+)\): (?<type>\S+)", RegexOptions.CultureInvariant);

    private static readonly Regex ImpressFrame = new(@"at (?<frame>Impress\.[^\s(]+)\([^)]*\)(?: in (?:[^:]*[/\\])?(?<file>[^/\\:]+):line (?<line>\d+))?", RegexOptions.CultureInvariant);

    private static readonly Regex FirstFrame = new(@"\s+at (?<frame>[^\s(]+)\(", RegexOptions.CultureInvariant);

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_outcomes_and_change_nothing_but_valid_writes()
    {
        // The catalog is seeded once the server has started: before counting, so that it is not counted as a change.
        await fixture.Services.GetRequiredService<CatalogService>().GetAsync(CancellationToken.None);
        var before = await SnapshotAsync();
        var generator = new HostileRequests(Seed);
        var run = new Run();

        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = Workers,
        })
        {
            BaseAddress = fixture.BaseUrl,
            Timeout = TimeSpan.FromMinutes(2),
        };

        var clock = Stopwatch.StartNew();
        using (var requests = generator.All().GetEnumerator())
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (Next(requests) is { } request)
                {
                    await SendAsync(http, request, run);
                }
            })));
        }

        var mainRun = clock.Elapsed;

        // What can only be asked once an export job exists: its status, its files, and its internal record.
        if (run.ExportJobs.FirstOrDefault() is { } job)
        {
            foreach (var request in HostileRequests.AboutExportJob())
            {
                await SendAsync(http, request.WithExportJob(job), run);
            }
        }
        else
        {
            run.Problems.Add("no export accepted", "No valid export kick-off was accepted, so the requests about an export job were not made.");
        }

        using (var metadata = await http.GetAsync("metadata"))
        {
            run.Problems.Add("the server still answers", metadata.StatusCode == HttpStatusCode.OK ? null : $"GET metadata after the run answered {(int)metadata.StatusCode}.");
        }

        clock.Stop();
        var after = await SnapshotAsync();
        ClassifyFailures(run);
        await CheckStoreAsync(before, after, run);
        CheckLogs(generator.Persons, run);

        output.WriteLine($"{run.Sent:N0} requests in {clock.Elapsed.TotalSeconds:N1} s ({mainRun.TotalSeconds:N1} s for the main run, {Workers} workers).");
        foreach (var category in run.Statuses.Keys.Select(k => k.Category).Distinct().Order(StringComparer.Ordinal))
        {
            var sent = run.PerCategory.TryGetValue(category, out var count) ? $"{count:N0} requests; " : "";
            output.WriteLine($"  {category}: {sent}statuses {string.Join(", ", run.Statuses.Where(s => s.Key.Category == category).OrderBy(s => s.Key.Status).Select(s => $"{s.Key.Status}×{s.Value}"))}");
        }

        output.WriteLine($"Created {run.Created.Count:N0} resources: {string.Join(", ", run.Created.Keys.GroupBy(TypeOf).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}.");
        output.WriteLine($"Kept {fixture.Logs.Lines.Count:N0} log lines.");

        Assert.True(run.Sent >= 10_000, $"Only {run.Sent} requests were sent.");
        var report = run.Problems.Report();
        if (report.Length > 0)
        {
            output.WriteLine(report);
        }

        Assert.True(report.Length == 0, report);
    }

    private static HostileRequest? Next(IEnumerator<HostileRequest> requests)
    {
        lock (requests)
        {
            return requests.MoveNext() ? requests.Current : null;
        }
    }

    private async Task SendAsync(HttpClient http, HostileRequest request, Run run)
    {
        run.Count(request);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(fixture.BaseUrl.AbsoluteUri + request.Path, UriKind.Absolute));
        var contentHeaders = request.Headers.Where(h => h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)).ToList();
        if (request.Body is not null || request.ContentType is not null || contentHeaders.Count > 0)
        {
            message.Content = request.Chunked ? new ChunkedContent(request.Body ?? []) : new ByteArrayContent(request.Body ?? []);
            if (request.ContentType is not null)
            {
                Assert.True(message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType), "Content-Type " + request.Describe());
            }

            foreach (var (name, value) in contentHeaders)
            {
                Assert.True(message.Content.Headers.TryAddWithoutValidation(name, value), name + " " + request.Describe());
            }
        }

        foreach (var (name, value) in request.Headers.Except(contentHeaders))
        {
            Assert.True(message.Headers.TryAddWithoutValidation(name, value), name + " " + request.Describe());
        }

        // A body the server refuses unread is only sent once the server has agreed to read it.
        message.Headers.ExpectContinue = request.Body is { Length: > HostileRequests.MaxRequestBodyBytes } && !request.Chunked ? true : null;

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await http.SendAsync(message);
            body = await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            run.Problems.Add("no answer", $"{request.Category} [{request.Kind}]: {e.GetType().Name}", $"{request.Describe()}\n        -> {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
            return;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            run.Answered(request, status);
            Check(request, response, status, body, run);
        }
    }

    private static void Check(HostileRequest request, HttpResponseMessage response, int status, byte[] body, Run run)
    {
        string Offence(string why) => $"{request.Describe()}\n    -> {status}{(why.Length > 0 ? " (" + why + ")" : "")}: {HostileRequest.Printable(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 600)), 300)}";

        if (response.Headers.Contains("Set-Cookie"))
        {
            run.Problems.Add("a header injected into the response", $"{request.Category} [{request.Kind}]", Offence("Set-Cookie: " + string.Join("; ", response.Headers.GetValues("Set-Cookie"))));
        }

        if (status >= 500)
        {
            run.Failed.Enqueue((request, Offence(""), TraceId.Match(Encoding.UTF8.GetString(body)) is { Success: true } trace ? trace.Groups["id"].Value : null));
            return;
        }

        if (request.KestrelAnswers.Contains(status))
        {
            run.KestrelAnswered(request, status);
            return;
        }

        if (status is < 200 or (>= 300 and < 400))
        {
            run.Problems.Add("neither 2xx nor 4xx", $"{request.Category} [{request.Kind}] {status}", Offence(""));
            return;
        }

        var head = request.Method == "HEAD";
        if (status >= 400)
        {
            if (!head && OutcomeProblem(response, body) is { } problem)
            {
                run.Problems.Add("4xx answers without an OperationOutcome", $"{request.Category} [{request.Kind}] {status}: {problem}", Offence(problem));
            }

            return;
        }

        if (body.Length == 0 || head)
        {
            Created(request, response, status, null, run);
            return;
        }

        if (FhirJsonProblem(response, body, out var root) is { } notFhir)
        {
            run.Problems.Add("2xx answers that are not FHIR JSON", $"{request.Category} [{request.Kind}] {status}: {notFhir}", Offence(notFhir));
            return;
        }

        Created(request, response, status, root, run);
        if (status == (int)HttpStatusCode.Accepted && response.Content.Headers.ContentLocation is { } location && ExportStatus.Match(location.ToString()) is { Success: true } job)
        {
            run.ExportJobs.Enqueue(job.Groups["job"].Value);
        }
    }

    /// <summary>Null when the body is an OperationOutcome with at least one issue that says something; otherwise what is wrong.</summary>
    private static string? OutcomeProblem(HttpResponseMessage response, byte[] body)
    {
        if (FhirJsonProblem(response, body, out var root) is { } notFhir)
        {
            return notFhir;
        }

        if (root.GetProperty("resourceType").GetString() != "OperationOutcome")
        {
            return $"a {root.GetProperty("resourceType").GetString()}, not an OperationOutcome";
        }

        if (!root.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array || issues.GetArrayLength() == 0)
        {
            return "an OperationOutcome without issues";
        }

        static bool Says(JsonElement issue) =>
            (issue.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.ValueKind == JsonValueKind.String && diagnostics.GetString()!.Trim().Length > 0)
            || (issue.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
                && details.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Trim().Length > 0);

        return issues.EnumerateArray().Any(Says) ? null : "no issue has diagnostics or details.text";
    }

    /// <summary>Null when the body is a FHIR JSON resource with the FHIR JSON media type; otherwise what is wrong.</summary>
    private static string? FhirJsonProblem(HttpResponseMessage response, byte[] body, out JsonElement root)
    {
        root = default;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "application/fhir+json")
        {
            return $"Content-Type {mediaType ?? "(none)"}";
        }

        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException e)
        {
            return "not JSON: " + e.Message;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return "not a resource (no resourceType)";
        }

        return ModelInfo.IsKnownResource(type.GetString()!) ? null : $"'{type.GetString()}' is not a FHIR resource type";
    }

    /// <summary>Notes what a successful answer created: the entries of a transaction or batch answered 201, or the resource of a single 201.</summary>
    private static void Created(HostileRequest request, HttpResponseMessage response, int status, JsonElement? root, Run run)
    {
        if (root is { } bundle && bundle.GetProperty("resourceType").GetString() == "Bundle"
            && bundle.TryGetProperty("type", out var type) && type.GetString() is "transaction-response" or "batch-response")
        {
            if (bundle.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in entries.EnumerateArray())
                {
                    if (entry.TryGetProperty("response", out var answer) && answer.TryGetProperty("status", out var entryStatus) && entryStatus.GetString()!.StartsWith("201", StringComparison.Ordinal)
                        && answer.TryGetProperty("location", out var location) && CreatedLocation.Match(location.GetString()!) is { Success: true } created)
                    {
                        run.Create(created.Groups["type"].Value, created.Groups["id"].Value, request);
                    }
                }
            }

            return;
        }

        if (status == (int)HttpStatusCode.Created && response.Headers.Location is { } header && CreatedLocation.Match(header.ToString()) is { Success: true } single)
        {
            run.Create(single.Groups["type"].Value, single.Groups["id"].Value, request);
        }
    }

    /// <summary>The store's current resources ("Type/id" and version), of every FHIR resource type but AuditEvent (one per request).</summary>
    private async Task<Dictionary<string, long>> SnapshotAsync()
    {
        var store = fixture.Services.GetRequiredService<IFhirStore>();
        var resources = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var type in ModelInfo.SupportedResources.Where(t => t != "AuditEvent"))
        {
            string? token = null;
            do
            {
                var page = await store.SearchAsync(new SearchQuery(type, [], null, [], 1000, token));
                foreach (var resource in page.Resources)
                {
                    resources.Add(resource.Reference, resource.VersionId);
                }

                token = page.ContinuationToken;
            }
            while (token is not null);
        }

        return resources;
    }

    /// <summary>The store after the run: what was there, unchanged, and what the successful answers say they created, nothing else.</summary>
    private async Task CheckStoreAsync(Dictionary<string, long> before, Dictionary<string, long> after, Run run)
    {
        var served = SearchParameterRegistry.Default.ResourceTypes.ToHashSet(StringComparer.Ordinal);
        foreach (var type in before.Keys.Concat(after.Keys).Concat(run.Created.Keys).Select(TypeOf).Distinct().Order(StringComparer.Ordinal))
        {
            var was = before.Keys.Count(r => TypeOf(r) == type);
            var created = run.Created.Keys.Count(r => TypeOf(r) == type);
            var now = after.Keys.Count(r => TypeOf(r) == type);
            run.Problems.Add("resource counts per type", now == was + created ? null : $"{type}: {was} before + {created} created by the run = {was + created}, but the store holds {now}.");
        }

        foreach (var (reference, version) in before)
        {
            run.Problems.Add("resources that were there before", after.TryGetValue(reference, out var now)
                ? now == version ? null : $"{reference} changed from version {version} to {now}, though no request of the run wrote it."
                : $"{reference} is gone.");
        }

        foreach (var reference in after.Keys.Where(r => !before.ContainsKey(r) && !run.Created.ContainsKey(r)))
        {
            var (cause, request) = await WrittenByAsync(reference, run);
            run.Problems.Add("resources in the store that no successful answer created", cause, request is null ? reference : $"{reference}, written by {request.Describe()}");
        }

        foreach (var (reference, request) in run.Created.Where(c => !after.ContainsKey(c.Key)))
        {
            run.Problems.Add("resources answered as created that the store does not hold", $"{reference}, created by {request.Describe()}");
        }

        foreach (var (reference, request) in run.Created.Where(c => !served.Contains(TypeOf(c.Key))))
        {
            run.Problems.Add("resources created of a type the server does not serve", TypeOf(reference), $"{reference}, created by {request.Describe()}");
        }
    }

    /// <summary>No identifying detail of the patients in the bodies in any log line, and no error logged (there was no 500 to log).</summary>
    private void CheckLogs(IReadOnlyList<SyntheticPerson> persons, Run run)
    {
        // Given names alone are no secret to look for: "Lars" is in "MolecularSequence".
        var secrets = persons.SelectMany(p => new[] { p.NationalId, p.Family, $"{p.Given} {p.Family}", p.Street, p.Phone }).Distinct().ToArray();
        Assert.NotEmpty(secrets);

        // The framework's request lines are among those looked at: the filter that keeps them works.
        Assert.Contains(fixture.Logs.Lines, line => line.StartsWith("Information Microsoft.AspNetCore.Hosting.Diagnostics:", StringComparison.Ordinal));

        // One pass over the lines for all secrets at once: Containing compares every line with every secret, which
        // for a hundred thousand lines and two thousand secrets takes minutes; it names the secrets when there are any.
        var anySecret = System.Buffers.SearchValues.Create(secrets, StringComparison.OrdinalIgnoreCase);
        if (fixture.Logs.Lines.Any(line => line.AsSpan().IndexOfAny(anySecret) >= 0))
        {
            foreach (var line in fixture.Logs.Containing(secrets).Take(50))
            {
                run.Problems.Add("identifying data in the logs", HostileRequest.Printable(line, 600));
            }
        }

        foreach (var line in fixture.Logs.Lines.Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)))
        {
            var failure = UnexpectedFailure.Match(line);
            var cause = failure.Success ? Cause(line, failure) : TraceId.Replace(HostileRequest.Printable(line, 160), "trace id ...)");
            run.Problems.Add("errors in the logs", cause, HostileRequest.Printable(line, 400));
        }
    }

    private static string TypeOf(string reference) => reference[..reference.IndexOf('/')];

    /// <summary>What failed, from the server's log line of an unexpected failure: the exception, where it was thrown, and the first frame of this code.</summary>
    private static string Cause(string line, Match failure)
    {
        var stack = line[(failure.Index + failure.Length)..];
        var thrown = FirstFrame.Match(stack);
        var frame = ImpressFrame.Match(stack);
        var where = frame.Success ? $"{frame.Groups["frame"].Value}{(frame.Groups["file"].Success ? $" ({frame.Groups["file"].Value}:{frame.Groups["line"].Value})" : "")}" : "(no frame of this code)";
        return $"{failure.Groups["type"].Value} thrown in {(thrown.Success ? thrown.Groups["frame"].Value : "?")}, from {where}";
    }

    /// <summary>For a resource nobody was told was created: the report bundle it came from, found by its patient's national id or its report's identifier.</summary>
    private async Task<(string Cause, HostileRequest? Request)> WrittenByAsync(string reference, Run run)
    {
        var store = fixture.Services.GetRequiredService<IFhirStore>();
        var parts = reference.Split('/');
        var json = await store.ReadAsync(parts[0], parts[1]) is { } version ? Encoding.UTF8.GetString(version.Json.Span) : "";
        foreach (var (patient, (status, request)) in run.Reports)
        {
            if (json.Contains(SyntheticIdentities.NationalId(patient), StringComparison.Ordinal) || json.Contains($"-{patient}\"", StringComparison.Ordinal))
            {
                return ($"{TypeOf(reference)} of a report bundle answered {status}", request);
            }
        }

        return ($"{TypeOf(reference)} (not traced to a request)", null);
    }

    /// <summary>The 5xx answers, by what failed in the server: the exception and the first frame of this code, from the log line of the answer's trace id.</summary>
    private void ClassifyFailures(Run run)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in fixture.Logs.Lines)
        {
            if (UnexpectedFailure.Match(line) is { Success: true } failure)
            {
                failures.TryAdd(failure.Groups["id"].Value, Cause(line, failure));
            }
        }

        var byCause = run.Failed.GroupBy(f => f.TraceId is not null && failures.TryGetValue(f.TraceId, out var signature) ? signature : "no server log line for the answer");
        foreach (var failed in byCause)
        {
            // Which requests met the cause: the mutations of a report bundle are too many combinations to list.
            var which = failed.GroupBy(f => f.Request.Category == "mutated-report" ? f.Request.Category : $"{f.Request.Category} [{f.Request.Kind}]")
                .OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
            run.Problems.Note("5xx answers", failed.Key, "from: " + string.Join(", ", which));
            foreach (var (_, offence, _) in failed)
            {
                run.Problems.Add("5xx answers", failed.Key, offence);
            }
        }
    }

    /// <summary>What the run sent, what came back, and what is wrong with it.</summary>
    private sealed class Run
    {
        private int _sent;

        public int Sent => _sent;

        public ConcurrentDictionary<string, int> PerCategory { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<(string Category, int Status), int> Statuses { get; } = new();

        /// <summary>Every resource a successful answer says it created ("Type/id"), with the request that did.</summary>
        public ConcurrentDictionary<string, HostileRequest> Created { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> ExportJobs { get; } = new();

        /// <summary>The 5xx answers, with the server's trace id when the body names it.</summary>
        public ConcurrentQueue<(HostileRequest Request, string Offence, string? TraceId)> Failed { get; } = new();

        /// <summary>How each report bundle was answered, by its synthetic patient.</summary>
        public ConcurrentDictionary<int, (int Status, HostileRequest Request)> Reports { get; } = new();

        public Problems Problems { get; } = new();

        public void Count(HostileRequest request)
        {
            Interlocked.Increment(ref _sent);
            PerCategory.AddOrUpdate(request.Category, 1, (_, n) => n + 1);
        }

        public void Answered(HostileRequest request, int status)
        {
            Statuses.AddOrUpdate((request.Category, status), 1, (_, n) => n + 1);
            if (request.Patient is { } patient)
            {
                Reports[patient] = (status, request);
            }
        }

        public void KestrelAnswered(HostileRequest request, int status) => Statuses.AddOrUpdate(($"{request.Category} (answered by Kestrel)", status), 1, (_, n) => n + 1);

        public void Create(string type, string id, HostileRequest request) => Created.TryAdd($"{type}/{id}", request);
    }

    /// <summary>Problems by section and by cause within it: a few shown in full, the rest counted.</summary>
    private sealed class Problems
    {
        private readonly ConcurrentDictionary<(string Section, string Cause), ConcurrentQueue<string>> _problems = new();
        private readonly ConcurrentDictionary<(string Section, string Cause), string> _notes = new();

        /// <summary>Adds a problem; a null <paramref name="problem"/> is none.</summary>
        public void Add(string section, string cause, string? problem)
        {
            if (problem is not null)
            {
                _problems.GetOrAdd((section, cause), _ => new ConcurrentQueue<string>()).Enqueue(problem);
            }
        }

        public void Add(string section, string? problem) => Add(section, "", problem);

        /// <summary>Says more about a cause, under its heading, without counting as a problem.</summary>
        public void Note(string section, string cause, string note) => _notes[(section, cause)] = note;

        public string Report()
        {
            var text = new StringBuilder();
            foreach (var section in _problems.GroupBy(p => p.Key.Section).OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var causes = section.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key.Cause, StringComparer.Ordinal).ToList();
                text.AppendLine(CultureInfo.InvariantCulture, $"{section.Key}: {causes.Sum(c => c.Value.Count)}");
                foreach (var ((_, cause), problems) in causes.Take(MaxCauses))
                {
                    if (cause.Length > 0)
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"  {problems.Count} × {cause}");
                    }

                    if (_notes.TryGetValue((section.Key, cause), out var note))
                    {
                        text.AppendLine("      " + note);
                    }

                    foreach (var problem in problems.Take(cause.Length > 0 ? ShownPerCause : Shown))
                    {
                        text.AppendLine("      " + problem);
                    }
                }

                if (causes.Count > MaxCauses)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  ... and {causes.Count - MaxCauses} more causes");
                }
            }

            return text.ToString();
        }
    }

    /// <summary>A body sent in chunks, without a Content-Length.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override System.Threading.Tasks.Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
