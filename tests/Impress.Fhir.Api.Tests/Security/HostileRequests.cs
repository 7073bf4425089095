using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Security;

/// <summary>One request of the hostile-input run, as it is put on the wire.</summary>
/// <param name="Category">The family of hostile input it belongs to.</param>
/// <param name="Kind">What exactly is hostile about it, so that failures group by cause.</param>
/// <param name="Method">The HTTP method, sent as it is (also lowercase or made up).</param>
/// <param name="Path">The path and query below the FHIR base, escaped as they are to be sent.</param>
public sealed record HostileRequest(string Category, string Kind, string Method, string Path)
{
    /// <summary>Stands for the id of an export job the run started, in requests that can only be made once there is one.</summary>
    public const string ExportJob = "{export-job}";

    public byte[]? Body { get; init; }

    /// <summary>The Content-Type header as sent, unchecked by the client.</summary>
    public string? ContentType { get; init; }

    /// <summary>Further headers, unchecked by the client; Content-* headers go with the body.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body is sent without a Content-Length, in chunks, so the server learns its size only by reading it.</summary>
    public bool Chunked { get; init; }

    /// <summary>What was changed where, for requests made by mutating a valid one.</summary>
    public string? Detail { get; init; }

    /// <summary>The synthetic patient of a report bundle, so that what a bundle left in the store can be traced back to it.</summary>
    public int? Patient { get; init; }

    /// <summary>
    /// The statuses Kestrel itself answers with, before the FHIR surface sees the request (a request line or headers
    /// over its limits, a NUL in the path or in a header): the only 4xx that may come without an OperationOutcome.
    /// </summary>
    public IReadOnlyList<int> KestrelAnswers { get; init; } = [];

    public HostileRequest WithExportJob(string job) => this with
    {
        Path = Path.Replace(ExportJob, job, StringComparison.Ordinal),
        Body = Body is null ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace(ExportJob, job, StringComparison.Ordinal)),
    };

    /// <summary>Enough to send the request again by hand: method, path, headers and the start of the body.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Category} [{Kind}] {Method} /fhir/{Path}");
        if (Detail is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" | {Printable(Detail, 600)}");
        }

        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" | Content-Type: {Printable(ContentType, 200)}");
        }

        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" | {name}: {Printable(value, 200)}");
        }

        if (Body is { } body)
        {
            var start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 600));
            text.Append(CultureInfo.InvariantCulture, $" | body ({body.Length:N0} bytes{(Chunked ? ", chunked" : "")}): {Printable(start, 300)}");
        }

        return text.ToString();
    }

    /// <summary>Control characters and the like shown as escapes, so a description prints on one line.</summary>
    public static string Printable(string text, int length)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > length ? text[..length] : text)
        {
            shown.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\uFEFF' or '\u202E' or '\u200F' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return text.Length > length ? shown + "..." : shown.ToString();
    }
}

/// <summary>
/// The requests of the hostile-input run: mutated report bundles, huge and deeply nested JSON, wrong content,
/// injection-like ids and search values, odd methods and paths, odd headers and broken batches. The same seed gives
/// the same requests; they are made one at a time as they are taken, so that they need not all be held at once.
/// </summary>
public sealed class HostileRequests(int seed)
{
    public const int MutatedReportCount = 2_000;
    public const int HugeOrDeepCount = 300;
    public const int WrongContentCount = 1_500;
    public const int InjectionCount = 3_000;
    public const int MethodsAndPathsCount = 1_500;
    public const int HeaderCount = 800;
    public const int BatchCount = 900;

    /// <summary>The first synthetic patient of the mutated reports: far from any other test's patients.</summary>
    public const int FirstPatient = 100_000;

    /// <summary>The first synthetic patient of the requests with odd headers.</summary>
    public const int FirstHeaderPatient = 200_000;

    /// <summary>A fifth of the mutated reports carry names, national ids, addresses and phone numbers.</summary>
    private const int IdentifiableEvery = 5;

    /// <summary>The largest body the run's server accepts; bodies just over it are refused with 413.</summary>
    public const int MaxRequestBodyBytes = 2_000_000;

    /// <summary>The most entries a bundle may have on the run's server.</summary>
    public const int MaxBundleEntries = 1_000;

    /// <summary>Kestrel's default limit on the request line: the run keeps its URLs under it, but for a few.</summary>
    private const int UrlBudget = 7_000;

    private const string FhirJsonType = "application/fhir+json";
    private const string NationalIdSystem = "urn:oid:2.16.578.1.12.4.1.4.1";

    private static readonly string[] Mutations =
    [
        "remove-property", "wrong-type", "long-string", "control-characters", "lone-surrogate", "invalid-utf8",
        "duplicate-fullurl", "self-reference", "mutual-references", "dangling-reference", "bad-request-method",
        "bad-request-url", "bad-resource-type", "hostile-id", "bundle-type", "empty-entries", "unserved-type-entry",
        "hostile-read-entry", "hostile-conditional-reference", "duplicate-json-key", "unknown-property", "hostile-if-none-exist",
    ];

    /// <summary>Ids as an attacker or a broken client sends them, unescaped (they are escaped into paths as one segment).</summary>
    private static readonly string[] HostileIds =
    [
        "../../etc/passwd", "../x", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2f", "..%2F..%2Fetc%2Fpasswd", "Patient/../../x",
        "1' OR '1'='1", "1; DROP TABLE resources;--", "' OR 1=1 --", "1 UNION SELECT json FROM resource_version --",
        "x'); DELETE FROM resource_current; --", "<script>alert(1)</script>", "\"><svg onload=alert(1)>", "{{7*7}}",
        "${jndi:ldap://127.0.0.1/a}", "$(id)", "`id`", "😀", "👩‍⚕️🧬", "\u202Eabc\u202C", "a\u200Fb\u200E", "\uFEFFbom",
        "日本語", "Ünïcödé", "%00", "\0", "a\0b", "%0d%0aSet-Cookie:x", "\r\nSet-Cookie: hostile=1", "\t", " ", "*",
        "?", "#", "&", "=", "%", "%zz", "+", "\\", "//", "null", "undefined", "NaN", "-1", "0", "1e99",
        "9223372036854775808", "_history", "$validate", "_search", "metadata", "_export", "a/b",
        new string('a', 64), new string('b', 65), new string('e', 70), new string('c', 100), new string('d', 200),
    ];

    private static readonly string[] HostileValues =
    [
        .. HostileIds, "Patient/1", "Patient/", "/", "http://evil.example/fhir/Patient/1", "Spaceship/1", "Patient/1/_history/1",
        "#x", "urn:uuid:x", "system|code", "|", "||", "|x", "x|", "a,b,,c", ",", ",,,,", "http://loinc.org|" + new string('9', 300),
        NationalIdSystem + "|' OR ''='",
    ];

    private static readonly string[] CountValues =
        ["-1", "1e99", "abc", "2147483648", "0", "1001", "999999999", "", " 5", "+5", "5.0", "0x10", "١٢", "1,000", "00000000000000000001", "-0"];

    private static readonly string[] LastUpdatedValues =
    [
        "9999", "9999-12", "9999-12-31", "9999-12-31T23:59:59Z", "le9999-12-31T23:59:59Z", "gt9999", "eq9999-12-31",
        "0001", "lt0001-01-01", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "gt2026", "xx2026", "eq", "ge", "g",
        "2026-13-01", "2026-02-30", "T", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00+99:00", "sa10000", "ap2026",
        "yesterday", "2026-01-01T00:00:00", "-2026", "+2026", "2026-1-1", "20260101", "2026-01-01T00:00:00.12345678901234Z",
        "ge2026-01-01&_lastUpdated=le2025",
    ];

    private static readonly string[] IncludeValues =
    [
        "Foo:bar", "*", "DiagnosticReport:nothing", "DiagnosticReport:subject", "DiagnosticReport:subject:Device",
        "DiagnosticReport:subject:Patient:extra", ":", "::", "Patient:*", "Observation:subject", "DiagnosticReport:result",
        "DiagnosticReport:subject:Spaceship", "*:*", "DiagnosticReport:", ":subject", "Observation:subject:Patient",
    ];

    private static readonly string[] RevIncludeValues =
    [
        "Observation:subject", "Observation:subject:Patient", "Observation:subject:Group", "Foo:bar", "*", "*:*",
        "AuditEvent:patient", "DiagnosticReport:subject", "Spaceship:subject", "Observation:nothing", "Task:focus", "Specimen:patient",
    ];

    private static readonly string[] SortValues = ["-_lastUpdated", "foo", "';--", ",,,", "_id,-_id", "-", "identifier:missing"];

    private static readonly string[] ElementsValues = ["id,meta", "*", "../x", ",,,", "identifier,,", "<script>"];

    private static readonly string[] FormatValues = ["json", "xml", "application/fhir+xml", "text/html", "", "json;;", "application/fhir+json; charset=\"", "ttl"];

    private static readonly string[] ParameterNames =
    [
        "identifier", "subject", "patient", "code", "status", "_id", "_lastUpdated", "_count", "_page", "_include",
        "_revinclude", "_sort", "_elements", "_summary", "_total", "_format", "_pretty", "_has:Observation:subject:code",
        "subject.identifier", "subject:Patient", "identifier:missing", "identifier:exact", "foo", "", "_", "__proto__",
        "constructor", " identifier", "IDENTIFIER", "_content", "_text", "_filter", "_query", "_list", "_type", "_since",
        "member", "focus", "business-status", "intent", "study", "individual",
    ];

    private static readonly string[] StoredTypes = [.. SearchParameterRegistry.Default.ResourceTypes.Order(StringComparer.Ordinal)];

    private static readonly string[] SearchedTypes = [.. StoredTypes, "Spaceship", "patient", "Medication", "impress.ExportJob", "Basic"];

    /// <summary>Reads and searches in a bundle entry that a server must answer per entry, not with a crash.</summary>
    private static readonly string[] HostileEntryUrls =
    [
        "ResearchStudy?_count=0", "Patient?_count=0", "Patient?_lastUpdated=9999", "Patient?_lastUpdated=le9999-12-31T23:59:59Z",
        "Patient?_id=none&_revinclude=Observation:subject", "impress.ExportJob/00000000000000000000000000000000",
        "Patient/../../etc/passwd", "AuditEvent?_count=1", "Patient/1/_history/abc", "Patient/1/_history/1", "Medication?code=x",
        "Spaceship/1", "metadata", "Patient?_page=garbage", "Patient?_count=-1", "Patient?identifier=1' OR '1'='1", "?", "/",
        "Patient?_include=*", "Observation?subject=Patient/1&_include=Observation:subject", "$export", "_export/x", "Patient/1/_history",
    ];

    /// <summary>Types the server does not serve (no endpoint, or Basic, whose endpoint serves the subscription topics), in JSON.</summary>
    private static readonly string[] UnservedResources =
    [
        """{"resourceType":"Medication","code":{"text":"hostile"}}""",
        """{"resourceType":"Basic","code":{"text":"hostile"}}""",
        """{"resourceType":"Device","deviceName":[{"name":"hostile","type":"user-friendly-name"}]}""",
        """{"resourceType":"Location","name":"hostile"}""",
    ];

    private static readonly string[] XmlBodies =
    [
        """<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/></Bundle>""",
        """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Patient xmlns="http://hl7.org/fhir"><id value="&e;"/></Patient>""",
        """<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Patient xmlns="http://hl7.org/fhir"><id value="&b;"/></Patient>""",
        "<Patient/>",
        "<",
    ];

    private readonly Random _random = new(seed);
    private readonly List<SyntheticPerson> _persons = [];
    private JsonObject? _patient;

    /// <summary>The people whose names and national ids went into request bodies so far: none may reach a log.</summary>
    public IReadOnlyList<SyntheticPerson> Persons => _persons;

    /// <summary>Every request of the run but those that need an export job, category after category.</summary>
    public IEnumerable<HostileRequest> All() =>
        MutatedReports().Concat(HugeOrDeep()).Concat(WrongContent()).Concat(InjectionLike()).Concat(MethodsAndPaths()).Concat(HeaderAbuse()).Concat(BadBatches()).Select(WithKestrelAnswers);

    /// <summary>Requests about an export job of the run: its status and files, and its internal record reached through bundles.</summary>
    public static IEnumerable<HostileRequest> AboutExportJob() => RequestsAboutExportJob().Select(WithKestrelAnswers);

    private static IEnumerable<HostileRequest> RequestsAboutExportJob()
    {
        const string category = "methods-and-paths";
        var job = HostileRequest.ExportJob;
        yield return new HostileRequest(category, "export-status", "GET", $"_export/{job}");
        yield return new HostileRequest(category, "export-file-missing", "GET", $"_export/{job}/Patient.ndjson");
        yield return new HostileRequest(category, "export-file-traversal", "GET", $"_export/{job}/..%2F..%2Fimpress.db");
        yield return new HostileRequest(category, "export-file-traversal", "GET", $"_export/{job}/%2e%2e%2fsecret");
        yield return new HostileRequest(category, "export-status-method", "PUT", $"_export/{job}") { Body = "{}"u8.ToArray(), ContentType = FhirJsonType };
        yield return new HostileRequest(category, "export-status-method", "POST", $"_export/{job}") { Body = "{}"u8.ToArray(), ContentType = FhirJsonType };
        yield return new HostileRequest(category, "internal-record-read", "GET", $"impress.ExportJob/{job}");
        yield return new HostileRequest(category, "internal-record-history", "GET", $"impress.ExportJob/{job}/_history/1");
        foreach (var type in new[] { "batch", "transaction" })
        {
            foreach (var url in new[] { $"impress.ExportJob/{job}", $"impress.ExportJob/{job}/_history/1", "impress.ExportJob?_count=10" })
            {
                var body = $$$"""{"resourceType":"Bundle","type":"{{{type}}}","entry":[{"request":{"method":"GET","url":"{{{url}}}"}}]}""";
                yield return new HostileRequest("batch", "internal-record-in-" + type, "POST", "") { Body = Encoding.UTF8.GetBytes(body), ContentType = FhirJsonType };
            }
        }

        yield return new HostileRequest(category, "export-cancel", "DELETE", $"_export/{job}");
        yield return new HostileRequest(category, "export-cancel-again", "DELETE", $"_export/{job}");
        yield return new HostileRequest(category, "export-status-cancelled", "GET", $"_export/{job}");
    }

    // ---- 1. Mutated report bundles ----

    private IEnumerable<HostileRequest> MutatedReports()
    {
        for (var i = 0; i < MutatedReportCount; i++)
        {
            var n = FirstPatient + i;
            Hl7.Fhir.Model.Bundle bundle;
            if (i % IdentifiableEvery == 0)
            {
                bundle = IdentifiableReports.OfPatient(n);
                _persons.Add(IdentifiableReports.Person(n));
            }
            else
            {
                bundle = ExampleReports.OfPatient(n);
            }

            var root = JsonNode.Parse(FhirJson.Serialize(bundle))!.AsObject();
            var raw = new List<byte[]>();
            var applied = new List<string>();
            var details = new List<string>();
            var duplicateKey = false;
            for (var count = 1 + _random.Next(3); applied.Count < count;)
            {
                var mutation = Pick(Mutations);
                duplicateKey |= mutation == "duplicate-json-key";
                var (name, detail) = Mutate(root, mutation, raw);
                applied.Add(name);
                details.Add(detail);
            }

            var text = root.ToJsonString();
            if (duplicateKey)
            {
                text = ReplaceFirst(text, "\"resourceType\":\"Bundle\"", "\"resourceType\":\"Bundle\",\"resourceType\":\"Patient\"");
            }

            var body = Encoding.UTF8.GetBytes(text);
            for (var k = 0; k < raw.Count; k++)
            {
                body = Replace(body, Encoding.ASCII.GetBytes(Marker(k)), raw[k]);
            }

            yield return new HostileRequest("mutated-report", string.Join("+", applied.Order(StringComparer.Ordinal)), "POST", "")
            {
                Body = body,
                ContentType = FhirJsonType,
                Detail = $"patient {n}: {string.Join("; ", details)}",
                Patient = n,
            };
        }
    }

    /// <summary>
    /// Applies one mutation. Returns its name (or what it fell back to when the bundle no longer has what it needs)
    /// and where it changed what.
    /// </summary>
    private (string Name, string Detail) Mutate(JsonObject root, string mutation, List<byte[]> raw)
    {
        var entries = root["entry"] as JsonArray;
        var resources = entries?.OfType<JsonObject>().Select(e => e["resource"]).OfType<JsonObject>().ToList() ?? [];
        var requests = entries?.OfType<JsonObject>().Select(e => e["request"]).OfType<JsonObject>().ToList() ?? [];
        switch (mutation)
        {
            case "remove-property":
                var properties = Slots(root).Where(s => s.Parent is not null).ToList();
                if (properties.Count == 0)
                {
                    return ("nothing-to-remove", "");
                }

                var removed = Pick(properties);
                var removedPath = removed.Path;
                removed.Parent!.Remove(removed.Key!);
                return (mutation, "removed " + removedPath);
            case "wrong-type":
                var slot = Pick(Slots(root).ToList());
                var wrong = WrongValue(slot.Get());
                slot.Set(wrong);
                return (mutation, $"{slot.Path} = {wrong?.ToJsonString() ?? "null"}");
            case "long-string":
                var longString = StringSlot(root);
                var length = 10_000 + _random.Next(90_000);
                longString?.Set(new string((char)('A' + _random.Next(26)), length));
                return (mutation, $"{longString?.Path} = {length:N0} characters");
            case "control-characters":
                var target = StringSlot(root);
                if (_random.Next(2) == 0)
                {
                    target?.Set("\u0000\u0001\u0007\b\u001b[31m\u001f\u007f");
                    return (mutation, $"{target?.Path} = escaped control characters");
                }

                // Unescaped control characters inside a JSON string: not JSON at all.
                target?.Set(Marker(raw.Count));
                raw.Add([(byte)'a', 0x00, 0x01, (byte)'\n', 0x1b, (byte)'b']);
                return (mutation, $"{target?.Path} = raw control characters");
            case "lone-surrogate":
                var surrogate = StringSlot(root);
                var escape = Pick<string>(["\\uD800", "\\uDC00\\uD800", "x\\uDBFFy", "\\uD83D"]);
                surrogate?.Set(Marker(raw.Count));
                raw.Add(Encoding.ASCII.GetBytes(escape));
                return (mutation, $"{surrogate?.Path} = \"{escape}\"");
            case "invalid-utf8":
                var utf8 = StringSlot(root);
                byte[] bytes = Pick<byte[]>([[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF, 0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]]);
                utf8?.Set(Marker(raw.Count));
                raw.Add(bytes);
                return (mutation, $"{utf8?.Path} = bytes {Convert.ToHexString(bytes)}");
            case "duplicate-fullurl":
                var withUrls = entries?.OfType<JsonObject>().ToList() ?? [];
                if (withUrls.Count < 2)
                {
                    return ("no-entries-to-duplicate", "");
                }

                var from = Pick(withUrls);
                var to = Pick(withUrls);
                to["fullUrl"] = from["fullUrl"]?.DeepClone();
                return (mutation, $"{to.GetPath()}.fullUrl = {from.GetPath()}.fullUrl");
            case "self-reference" or "mutual-references" or "dangling-reference":
                var observations = entries?.OfType<JsonObject>().Where(e => (e["resource"] as JsonObject)?["resourceType"]?.ToString() == "Observation").ToList() ?? [];
                if (observations.Count < 2)
                {
                    return ("no-observations", "");
                }

                var first = Pick(observations);
                var second = Pick(observations);
                var element = Pick<string>(["hasMember", "derivedFrom"]);
                if (mutation == "self-reference")
                {
                    ((JsonObject)first["resource"]!)[element] = new JsonArray(new JsonObject { ["reference"] = first["fullUrl"]?.DeepClone() });
                    return (mutation, $"{first.GetPath()}.resource.{element} = itself");
                }

                if (mutation == "mutual-references")
                {
                    ((JsonObject)first["resource"]!)[element] = new JsonArray(new JsonObject { ["reference"] = second["fullUrl"]?.DeepClone() });
                    ((JsonObject)second["resource"]!)[element] = new JsonArray(new JsonObject { ["reference"] = first["fullUrl"]?.DeepClone() });
                    return (mutation, $"{first.GetPath()} and {second.GetPath()}: {element} of each other");
                }

                ((JsonObject)first["resource"]!)[element] = new JsonArray(new JsonObject { ["reference"] = "urn:uuid:" + RandomGuid() });
                return (mutation, $"{first.GetPath()}.resource.{element} = an entry that is not there");
            case "bad-request-method":
                if (requests.Count == 0)
                {
                    return ("no-requests", "");
                }

                var methodOf = Pick(requests);
                methodOf["method"] = Pick<JsonNode?>(["DELETE", "PATCH", "HEAD", "FOO", "", "post", null, 1, new JsonArray()]);
                return (mutation, $"{methodOf.GetPath()}.method = {methodOf["method"]?.ToJsonString() ?? "null"}");
            case "bad-request-url":
                if (requests.Count == 0)
                {
                    return ("no-requests", "");
                }

                var urlOf = Pick(requests);
                urlOf["url"] = Pick<string>(["../../etc/passwd", "Patient/../../x", "Patient/../Observation", "", "http://evil.example/Patient",
                    "Patient?identifier=1' OR '1'='1", "/", "?", "Observation/", "Patient/%00", "metadata", "$export", "_export/x", "Patient/1/_history/1"]);
                return (mutation, $"{urlOf.GetPath()}.url = {urlOf["url"]!.ToJsonString()}");
            case "bad-resource-type":
                if (resources.Count == 0)
                {
                    return ("no-resources", "");
                }

                var retyped = Pick(resources);
                retyped["resourceType"] = Pick<JsonNode?>(["Spaceship", "", "patient", " Patient", "Patient\u0000", "OperationOutcome", "Bundle", 7, null]);
                return (mutation, $"{retyped.GetPath()}.resourceType = {retyped["resourceType"]?.ToJsonString() ?? "null"}");
            case "hostile-id":
                if (resources.Count == 0)
                {
                    return ("no-resources", "");
                }

                var identified = Pick(resources);
                identified["id"] = Pick(HostileIds);
                return (mutation, $"{identified.GetPath()}.id = {identified["id"]!.ToJsonString()}");
            case "bundle-type":
                root["type"] = Pick<JsonNode?>(["document", "collection", "searchset", "history", "message", "batch-response", "Transaction", "", null, 3]);
                return (mutation, $"type = {root["type"]?.ToJsonString() ?? "null"}");
            case "empty-entries":
                if (entries is null)
                {
                    root["entry"] = entries = [];
                }

                for (var k = 0; k < 30; k++)
                {
                    entries.Add(new JsonObject());
                }

                return (mutation, "30 empty entries");
            case "unserved-type-entry":
                var unserved = JsonNode.Parse(Pick(UnservedResources))!;
                var type = unserved["resourceType"]!.ToString();
                (entries ?? (JsonArray)(root["entry"] = new JsonArray())).Add(new JsonObject
                {
                    ["fullUrl"] = "urn:uuid:" + RandomGuid(),
                    ["request"] = new JsonObject { ["method"] = "POST", ["url"] = type },
                    ["resource"] = unserved,
                });
                return (mutation, $"an entry creating a {type}");
            case "hostile-read-entry":
                var read = Pick(HostileEntryUrls);
                (entries ?? (JsonArray)(root["entry"] = new JsonArray())).Add(new JsonObject
                {
                    ["request"] = new JsonObject { ["method"] = "GET", ["url"] = read },
                });
                return (mutation, "an entry reading " + read);
            case "hostile-conditional-reference":
                var reports = resources.Where(r => r["resourceType"]?.ToString() is "DiagnosticReport" or "Observation" or "Specimen" or "Condition").ToList();
                if (reports.Count == 0)
                {
                    return ("no-resources", "");
                }

                var referring = Pick(reports);
                var condition = Pick<string>(["Patient?_lastUpdated=9999", "Patient?identifier=1' OR '1'='1", "Patient?", "Spaceship?x=1",
                    "Patient?identifier:missing=true", "Patient?_count=0", "Patient?_revinclude=Observation:subject", "Patient?foo=bar", "Patient?_id="]);
                referring["subject"] = new JsonObject { ["reference"] = condition };
                return (mutation, $"{referring.GetPath()}.subject = {condition}");
            case "duplicate-json-key":
                return (mutation, "a second resourceType in the Bundle");
            case "unknown-property":
                var objects = Slots(root).Select(s => s.Get()).OfType<JsonObject>().Prepend(root).ToList();
                var extended = Pick(objects);
                var property = Pick<string>(["__proto__", "constructor", "extension ", "$ref", "hostile", ""]);
                extended[property] = "x";
                return (mutation, $"{extended.GetPath()}[\"{property}\"] = \"x\"");
            case "hostile-if-none-exist":
                if (requests.Count == 0)
                {
                    return ("no-requests", "");
                }

                var conditional = Pick(requests);
                conditional["ifNoneExist"] = Pick<string>(["identifier=1' OR '1'='1", "_lastUpdated=9999", "", "&&&", "=", "%zz", "foo=bar",
                    "identifier:missing=true", "_count=0", "_id=" + new string('x', 5_000), "identifier=" + NationalIdSystem + "|"]);
                return (mutation, $"{conditional.GetPath()}.ifNoneExist = {HostileRequest.Printable(conditional["ifNoneExist"]!.ToString(), 60)}");
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "Not a mutation.");
        }
    }

    private JsonNode? WrongValue(JsonNode? current)
    {
        var kind = current?.GetValueKind() ?? JsonValueKind.Null;
        while (true)
        {
            JsonNode? candidate = _random.Next(9) switch
            {
                0 => JsonValue.Create("hostile"),
                1 => JsonValue.Create(42),
                2 => JsonValue.Create(-1.5e300),
                3 => new JsonObject(),
                4 => new JsonArray(),
                5 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null),
                6 => JsonValue.Create(_random.Next(2) == 0),
                7 => new JsonObject { ["resourceType"] = "Patient" },
                _ => null,
            };
            var candidateKind = candidate?.GetValueKind() ?? JsonValueKind.Null;
            if (candidateKind != kind && !(candidateKind is JsonValueKind.True or JsonValueKind.False && kind is JsonValueKind.True or JsonValueKind.False))
            {
                return candidate;
            }
        }
    }

    private Slot? StringSlot(JsonObject root)
    {
        var strings = Slots(root).Where(s => s.Get()?.GetValueKind() == JsonValueKind.String).ToList();
        return strings.Count == 0 ? null : Pick(strings);
    }

    /// <summary>Every property and array element below <paramref name="node"/>.</summary>
    private static IEnumerable<Slot> Slots(JsonNode node)
    {
        var pending = new Stack<JsonNode>([node]);
        while (pending.TryPop(out var current))
        {
            if (current is JsonObject obj)
            {
                foreach (var (key, value) in obj.ToList())
                {
                    yield return new Slot(obj, key, null, 0);
                    if (value is not null)
                    {
                        pending.Push(value);
                    }
                }
            }
            else if (current is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    yield return new Slot(null, null, array, i);
                    if (array[i] is { } item)
                    {
                        pending.Push(item);
                    }
                }
            }
        }
    }

    private readonly record struct Slot(JsonObject? Parent, string? Key, JsonArray? Items, int Index)
    {
        public string Path => Parent is not null ? $"{Parent.GetPath()}.{Key}" : $"{Items!.GetPath()}[{Index}]";

        public JsonNode? Get() => Parent is not null ? Parent[Key!] : Items![Index];

        public void Set(JsonNode? value)
        {
            if (Parent is not null)
            {
                Parent[Key!] = value;
            }
            else
            {
                Items![Index] = value;
            }
        }
    }

    private static string Marker(int k) => $"@@RAW{k}@@";

    // ---- 2. Huge or deeply nested JSON ----

    private IEnumerable<HostileRequest> HugeOrDeep()
    {
        const string category = "huge-or-deep";
        (string Method, string Path)[] targets = [("POST", ""), ("POST", "Patient"), ("PUT", "Patient/deep"), ("POST", "$validate"), ("POST", "Observation/$validate"), ("POST", "$match"), ("POST", "$import-tso500")];
        for (var i = 0; i < HugeOrDeepCount; i++)
        {
            var (method, path) = Pick(targets);
            switch (i)
            {
                case < 120:
                    var depth = (int)Math.Round(1_000 * Math.Pow(100, _random.NextDouble()));
                    var shape = Pick<string>(["arrays", "objects", "extensions", "entry-resource", "unclosed"]);
                    yield return Json(category, $"nesting-{shape}", method, path, Nested(shape, depth));
                    break;
                case < 126:
                    // Just over the limit: with a Content-Length, and in chunks (the size known only by reading).
                    const string end = "\"}]}";
                    var over = MaxRequestBodyBytes + 1 + _random.Next(4_000);
                    var patient = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"");
                    patient.Append('x', over - patient.Length - end.Length).Append(end);
                    yield return new HostileRequest(category, i < 123 ? "body-over-limit" : "chunked-body-over-limit", "POST", Pick<string>(["Patient", "", "$validate"]))
                    {
                        Body = Encoding.UTF8.GetBytes(patient.ToString()),
                        ContentType = FhirJsonType,
                        Chunked = i >= 123,
                    };
                    break;
                case < 146:
                    var type = i % 2 == 0 ? "transaction" : "batch";
                    var entries = string.Join(",", Enumerable.Range(0, MaxBundleEntries + 1 + _random.Next(300))
                        .Select(k => $$$"""{"fullUrl":"urn:uuid:{{{RandomGuid()}}}","resource":{"resourceType":"Organization","name":"o{{{k}}}"},"request":{"method":"POST","url":"Organization"}}"""));
                    yield return Json(category, "entries-over-limit-" + type, "POST", "", $$$"""{"resourceType":"Bundle","type":"{{{type}}}","entry":[{{{entries}}}]}""");
                    break;
                case < 156:
                    var length = (1024 * 1024) + _random.Next(-2, 3);
                    var organization = $$$"""{"resourceType":"Organization","name":"{{{new string('m', length)}}}"}""";
                    yield return Json(category, "megabyte-string", "POST", Pick<string>(["Organization", "$validate"]), organization);
                    break;
                case < 186:
                    var number = Pick<string>(["1e400", "-1e400", "1" + new string('0', 10_000), "0." + new string('1', 10_000), "1e-400", "-0", "2147483648", "-9223372036854775809", "1E+2147483648", "0x10", "01"]);
                    var field = Pick<string>([
                        $$$"""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":{{{number}}}}}""",
                        $$$"""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":{{{number}}}}""",
                        $$$"""{"resourceType":"MolecularSequence","coordinateSystem":{{{number}}}}""",
                        $$$"""{"resourceType":"Patient","multipleBirthInteger":{{{number}}}}""",
                    ]);
                    var endpoint = field.Contains("\"Observation\"", StringComparison.Ordinal) ? "Observation" : field.Contains("Molecular", StringComparison.Ordinal) ? "MolecularSequence" : "Patient";
                    yield return Json(category, "huge-number", "POST", _random.Next(3) == 0 ? "$validate" : endpoint, field);
                    break;
                case < 206:
                    var keys = i < 189 ? 50_000 : 5_000;
                    var wide = new StringBuilder("{\"resourceType\":\"Patient\"");
                    for (var k = 0; k < keys; k++)
                    {
                        wide.Append(CultureInfo.InvariantCulture, $",\"p{k}\":{k}");
                    }

                    yield return Json(category, "wide-object", method, path, wide.Append('}').ToString());
                    break;
                case < 226:
                    yield return Json(category, "long-property-name", method, path, $$$"""{"resourceType":"Patient","{{{new string('k', 100_000 + _random.Next(100_000))}}}":1}""");
                    break;
                case < 246:
                    var items = string.Join(",", Enumerable.Repeat(Pick<string>(["{}", "null", "1", "{\"value\":\"x\"}"]), 20_000));
                    yield return Json(category, "long-array", method, path, $$$"""{"resourceType":"Patient","identifier":[{{{items}}}]}""");
                    break;
                case < 266:
                    var escapes = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"");
                    for (var k = 0; k < 300_000; k++)
                    {
                        escapes.Append("\\u0041");
                    }

                    yield return Json(category, "escape-heavy-string", method, path, escapes.Append("\"}]}").ToString());
                    break;
                default:
                    // Around the parser's depth limit of 64: the deepest accepted, and the first refused.
                    var levels = FhirJsonReader.MaxDepth - 4 + ((i - 266) % 8);
                    yield return Json(category, $"nesting-at-limit-{levels}", "POST", Pick<string>(["Patient", "$validate", ""]), Nested("extensions", levels));
                    break;
            }
        }
    }

    /// <summary>JSON nested <paramref name="depth"/> levels deep, in one of several shapes.</summary>
    private static string Nested(string shape, int depth)
    {
        var text = new StringBuilder();
        switch (shape)
        {
            case "arrays":
                text.Append('[', depth).Append(']', depth);
                break;
            case "objects":
                text.Append("{\"resourceType\":\"Patient\",\"a\":");
                for (var k = 0; k < depth; k++)
                {
                    text.Append("{\"a\":");
                }

                text.Append('1').Append('}', depth + 1);
                break;
            case "extensions":
                text.Append("{\"resourceType\":\"Patient\",\"extension\":[");
                for (var k = 0; k < depth; k++)
                {
                    text.Append("{\"url\":\"http://x/e\",\"extension\":[");
                }

                for (var k = 0; k < depth; k++)
                {
                    text.Append("]}");
                }

                text.Append("]}");
                break;
            case "entry-resource":
                text.Append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"POST\",\"url\":\"Patient\"},\"resource\":{\"resourceType\":\"Patient\",\"extension\":");
                text.Append('[', depth).Append(']', depth).Append("}}]}");
                break;
            default:
                text.Append("{\"resourceType\":\"Patient\",\"x\":").Append('[', depth);
                break;
        }

        return text.ToString();
    }

    // ---- 3. Wrong content ----

    private IEnumerable<HostileRequest> WrongContent()
    {
        const string category = "wrong-content";
        (string Method, string Path)[] targets =
        [
            ("POST", ""), ("POST", "Patient"), ("POST", "Observation"), ("PUT", "Patient/wrong-content"),
            ("PUT", "Patient?identifier=" + Uri.EscapeDataString(NationalIdSystem + "|00000000000")), ("POST", "$validate"), ("POST", "Patient/$validate"),
            ("POST", "$match"), ("POST", "$import-tso500"), ("POST", "$export"), ("POST", "Group/nope/$export"), ("POST", "Patient/_search"), ("POST", "Subscription"),
        ];
        var report = FhirJson.Serialize(ExampleReports.OfPatient(FirstPatient - 1));
        for (var i = 0; i < WrongContentCount; i++)
        {
            var (method, path) = Pick(targets);
            var prefer = path.Contains("$export", StringComparison.Ordinal) ? new[] { KeyValuePair.Create("Prefer", "respond-async") } : [];
            if (i % 8 == 0)
            {
                var accept = Pick<string>(["application/xml", "application/fhir+xml", "text/html", "image/png", "*/*;q=0", "application/fhir+json;q=0, application/xml",
                    "text/*", "garbage", ";;;", "application/fhir+json; fhirVersion=3.0", new string('a', 4_000)]);
                var read = Pick<string>(["metadata", "Patient", "Patient/1", "Patient?identifier=x", "Observation/1/_history", "Basic", "_export/00000000000000000000000000000000", "$export"]);
                yield return new HostileRequest(category, "accept-not-json", "GET", read)
                {
                    Headers = [KeyValuePair.Create("Accept", accept), .. read == "$export" ? prefer : []],
                };
                continue;
            }

            var (kind, body, contentType) = WrongBody(report, path);
            if (kind.StartsWith("form", StringComparison.Ordinal) && _random.Next(2) == 0)
            {
                (method, path) = ("POST", Pick(StoredTypes) + "/_search");
            }

            yield return new HostileRequest(category, kind, method, path) { Body = body, ContentType = contentType, Headers = prefer };
        }
    }

    private (string Kind, byte[] Body, string? ContentType) WrongBody(string report, string path)
    {
        var patient = """{"resourceType":"Patient","active":true}""";
        switch (_random.Next(30))
        {
            case 0:
                return ("xml-fhir-xml", Encoding.UTF8.GetBytes(Pick(XmlBodies)), "application/fhir+xml");
            case 1:
                return ("xml-application-xml", Encoding.UTF8.GetBytes(Pick(XmlBodies)), "application/xml");
            case 2:
                return ("xml-as-json", Encoding.UTF8.GetBytes(Pick(XmlBodies)), FhirJsonType);
            case 3:
                return ("json-as-text-plain", Encoding.UTF8.GetBytes(patient), "text/plain");
            case 4:
                return ("text-plain", Encoding.UTF8.GetBytes("Hello, server. Please store this patient."), "text/plain; charset=utf-8");
            case 5:
                return ("form-urlencoded", Encoding.UTF8.GetBytes("resourceType=Patient&id=1&identifier=1%27+OR+%271%27%3D%271"), "application/x-www-form-urlencoded");
            case 6:
                return ("empty-json", [], FhirJsonType);
            case 7:
                return ("empty-without-type", [], null);
            case 8:
                return ("random-binary", RandomBytes(1 + _random.Next(5_000)), FhirJsonType);
            case 9:
                return ("random-binary-octet-stream", RandomBytes(1 + _random.Next(5_000)), "application/octet-stream");
            case 10:
                byte[] invalid = Pick<byte[]>([[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF, 0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]]);
                return ("invalid-utf8", [.. "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\""u8, .. invalid, .. "\"}]}"u8], FhirJsonType);
            case 11:
                return ("bom-then-garbage", [0xEF, 0xBB, 0xBF, .. RandomBytes(1 + _random.Next(200))], FhirJsonType);
            case 12:
                return ("double-bom", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(patient)], FhirJsonType);
            case 13:
                return ("utf16-json", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(patient)], FhirJsonType + "; charset=utf-16");
            case 14:
                return ("json-not-object", Encoding.UTF8.GetBytes(Pick<string>(["42", "\"Patient\"", "[]", "[{\"resourceType\":\"Patient\"}]", "null", "true", "false", "\"\"", "-0", "1e999"])), FhirJsonType);
            case 15:
                var other = path.StartsWith("Patient", StringComparison.Ordinal) ? report : patient;
                return ("resource-for-another-endpoint", Encoding.UTF8.GetBytes(other), FhirJsonType);
            case 16:
                return ("not-quite-json", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Patient", /* comment */ "active":true}""", """{"resourceType":"Patient","active":true,}""",
                    "{'resourceType':'Patient'}", """{"resourceType":"Patient","multipleBirthInteger":NaN}""", """{"resourceType":"Patient","multipleBirthInteger":Infinity}""",
                    """{resourceType:"Patient"}""", """{"resourceType":"Patient"}}""", """{"resourceType":"Patient"} {"resourceType":"Patient"}""", """{"resourceType":"Patient"} xyz""",
                ])), FhirJsonType);
            case 17:
                return ("duplicate-keys", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Patient","resourceType":"Observation"}""", """{"resourceType":"Patient","id":"a","id":"b"}""",
                    """{"resourceType":"Patient","active":true,"active":false}""",
                ])), FhirJsonType);
            case 18:
                return ("truncated", Encoding.UTF8.GetBytes(report[..(1 + _random.Next(report.Length - 2))]), FhirJsonType);
            case 19:
                return ("escaped-surrogates", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Patient","name":[{"text":"\uD800"}]}""", """{"resourceType":"Patient","name":[{"text":"\uDC00\uD800"}]}""",
                    """{"resourceType":"Patient","id":"\uD83D"}""", """{"resourceType":"\uD800"}""", """{"\uD800":1,"resourceType":"Patient"}""",
                ])), FhirJsonType);
            case 20:
                return ("escaped-nul", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Patient","name":[{"text":"a\u0000b"}]}""", """{"resourceType":"Patient\u0000"}""", """{"resourceType":"Patient","id":"\u0000"}""",
                ])), FhirJsonType);
            case 21:
                return ("odd-resource-type", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":7}""", """{"resourceType":{"a":1}}""", """{"resourceType":null}""", """{"active":true}""", """{"resourceType":""}""",
                    """{"resourceType":"Patient "}""", """{"resourceType":"patient"}""", """{"resourceType":"Spaceship"}""", """{"resourceType":["Patient"]}""",
                    """{"resourceType":"DomainResource"}""", """{"resourceType":"Resource"}""", """{"resourceType":"impress.ExportJob"}""",
                ])), FhirJsonType);
            case 22:
                return ("form-multipart-without-boundary", Encoding.UTF8.GetBytes("garbage"), "multipart/form-data");
            case 23:
                return ("form-multipart-garbage", RandomBytes(1 + _random.Next(2_000)), "multipart/form-data; boundary=xyz");
            case 24:
                var pairs = string.Join("&", Enumerable.Range(0, 1_100 + _random.Next(1_000)).Select(k => $"p{k}={k}"));
                return ("form-too-many-values", Encoding.UTF8.GetBytes(pairs), "application/x-www-form-urlencoded");
            case 25:
                return ("form-odd-charset", Encoding.UTF8.GetBytes("identifier=x"), Pick<string>(["application/x-www-form-urlencoded; charset=foo", "application/x-www-form-urlencoded; charset=\"", "application/x-www-form-urlencoded; charset=utf-7"]));
            case 26:
                return ("form-huge-key", Encoding.UTF8.GetBytes(new string('k', 100_000) + "=1"), "application/x-www-form-urlencoded");
            case 27:
                return ("parameters-broken", Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Parameters","parameter":[{"name":"_type","valueInteger":1}]}""", """{"resourceType":"Parameters","parameter":[{"valueString":"Patient"}]}""",
                    """{"resourceType":"Parameters","parameter":[{"name":"_since","valueString":"9999-12-31T23:59:59Z"}]}""", """{"resourceType":"Parameters","parameter":[{"name":"resource"}]}""",
                    """{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Parameters","parameter":[{"name":"resource"}]}}]}""",
                    """{"resourceType":"Parameters","parameter":[{"name":"_typeFilter","valueString":"Patient?_lastUpdated=9999"}]}""",
                    """{"resourceType":"Parameters","parameter":[{"name":"","part":[{"name":"x","valueString":"y"}]}]}""",
                ])), FhirJsonType);
            case 28:
                return ("content-type-garbage", Encoding.UTF8.GetBytes(patient), Pick<string>(["", ";", "application/", "/json", "application/fhir+json; charset", "json", "*/*", "application/*", "application/fhir+json\u0001"]));
            default:
                return ("json-resource-type-case", Encoding.UTF8.GetBytes("""{"RESOURCETYPE":"Patient","resourcetype":"Patient"}"""), FhirJsonType);
        }
    }

    // ---- 4. Injection-like ids and search values ----

    private IEnumerable<HostileRequest> InjectionLike()
    {
        const string category = "injection";
        for (var i = 0; i < InjectionCount; i++)
        {
            switch (i)
            {
                case < 1_000:
                    yield return IdRequest(category);
                    break;
                case < 2_800:
                    var parameters = new List<(string, string)>();
                    for (var k = 1 + _random.Next(4); k > 0; k--)
                    {
                        parameters.Add(SearchParameter());
                    }

                    var strict = _random.Next(5) == 0;
                    yield return Search(category, "search-" + string.Join("+", parameters.Select(p => Family(p.Item1)).Distinct().Order(StringComparer.Ordinal)) + (strict ? "-strict" : ""),
                        Pick(SearchedTypes), parameters, strict);
                    break;
                case < 2_900:
                    var many = Enumerable.Range(0, 60 + _random.Next(40)).Select(k => (Pick<string>(["identifier", "_id", "status", "foo", "_count"]), "v" + k)).ToList();
                    yield return Search(category, "search-60-or-more-parameters", Pick(StoredTypes), many, _random.Next(2) == 0);
                    break;
                case < 2_980:
                    var name = Pick<string>(["identifier", "_id", "subject", "_page", "code", "_include", "foo"]);
                    var type = Pick(StoredTypes);
                    var fill = Pick<char>(['x', '\'', '%', '9']);
                    var value = new string(fill, (UrlBudget - 200 - type.Length) / Uri.EscapeDataString(fill.ToString()).Length);
                    yield return Search(category, "search-long-value", type, [(name, value)], false);
                    break;
                case < 2_990:
                    var ids = string.Join(",", Enumerable.Range(0, 500).Select(k => k.ToString(CultureInfo.InvariantCulture)));
                    yield return Search(category, "search-500-ids", Pick(StoredTypes), [("_id", ids)], false);
                    break;
                default:
                    // A 100 KB value: over Kestrel's request-line limit, so Kestrel answers before the FHIR surface.
                    var huge = new string('q', 100_000);
                    yield return new HostileRequest(category, "search-100kb-value", "GET", $"{Pick(StoredTypes)}?identifier={huge}") { KestrelAnswers = [414] };
                    break;
            }
        }
    }

    private HostileRequest IdRequest(string category)
    {
        var type = Pick<string>([.. StoredTypes, "Spaceship", "patient", "Medication", "impress.ExportJob"]);
        var id = _random.Next(6) == 0 ? RandomId(65 + _random.Next(136)) : Pick(HostileIds);
        var segment = Uri.EscapeDataString(id);
        switch (_random.Next(20))
        {
            case < 8:
                return new HostileRequest(category, "read-hostile-id", "GET", $"{type}/{segment}");
            case < 11:
                return new HostileRequest(category, "history-hostile-id", "GET", $"{type}/{segment}/_history");
            case < 15:
                var version = Pick<string>(["1", "0", "-1", "abc", "1e99", "9223372036854775808", "1.5", "%20", "' OR 1=1 --", .. HostileIds]);
                return new HostileRequest(category, "vread-hostile-id-or-version", "GET", $"{type}/{segment}/_history/{Uri.EscapeDataString(version)}");
            default:
                var body = $$$"""{"resourceType":{{{JsonString(type)}}},"id":{{{JsonString(id)}}}}""";
                return new HostileRequest(category, "update-hostile-id", "PUT", $"{type}/{segment}") { Body = Encoding.UTF8.GetBytes(body), ContentType = FhirJsonType };
        }
    }

    private (string Name, string Value) SearchParameter()
    {
        var name = Pick(ParameterNames);
        var value = name switch
        {
            "_count" => Pick(CountValues),
            "_page" => _random.Next(3) switch
            {
                0 => RandomBase64Url(1 + _random.Next(60)),
                1 => PageToken.Encode(Pick(HostileIds)),
                _ => Pick<string>(["", "===", "%", "impress-page:", "aW1wcmVzcy1wYWdlOg", .. HostileIds]),
            },
            "_lastUpdated" => Pick(LastUpdatedValues),
            "_include" => Pick(IncludeValues),
            "_revinclude" => Pick(RevIncludeValues),
            "_sort" => Pick(SortValues),
            "_elements" => Pick(ElementsValues),
            "_format" => Pick(FormatValues),
            "_summary" or "_total" => Pick<string>(["true", "count", "none", "accurate", "x", ""]),
            _ => Pick(HostileValues),
        };
        return (name, value);
    }

    /// <summary>The parameter's family for grouping: the name for the special ones, "criterion" for the rest.</summary>
    private static string Family(string name) => name is "_count" or "_page" or "_lastUpdated" or "_include" or "_revinclude" or "_format" or "_id" ? name : "criterion";

    private static HostileRequest Search(string category, string kind, string type, IEnumerable<(string Name, string Value)> parameters, bool strict)
    {
        var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));
        return new HostileRequest(category, kind, "GET", $"{type}?{query}") { Headers = strict ? [KeyValuePair.Create("Prefer", "handling=strict")] : [] };
    }

    // ---- 5. Methods and paths ----

    private IEnumerable<HostileRequest> MethodsAndPaths()
    {
        const string category = "methods-and-paths";
        string[] methods = ["DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "get", "POST", "PUT", "GET", "PROPFIND", "M-SEARCH"];
        for (var i = 0; i < MethodsAndPathsCount; i++)
        {
            if (i < 1_150)
            {
                var method = Pick(methods);
                var path = Pick<string>([
                    "", "Patient", "Patient/1", "Patient/1/_history", "Patient/1/_history/1", "metadata", "$export", "Patient/$export",
                    "Group/nope/$export", $"_export/{Hex(32)}", $"_export/{Hex(32)}/Patient.ndjson", "Basic", "Basic/careplan-update", "Basic/nope",
                    ".well-known/smart-configuration", "$validate", "Patient/$validate", "$match", "$import-tso500", "Subscription/x/$status",
                    "Subscription/x/$events", "Patient/_search", "Spaceship", "Spaceship/1", "patient/1", "Medication", "Medication/1", "AuditEvent",
                    "AuditEvent/1", "impress.ExportJob", $"impress.ExportJob/{Hex(32)}", "$unknown-operation", "Patient/$unknown-operation",
                    "Patient/1/$unknown-operation", "Patient/$everything", "Patient/1/$everything", "_history", "Patient/_history", "Patient/1/_history/abc",
                    "Patient/1/_history/1/extra", "Patient//1", "Patient/1/", "/Patient", "Patient/1/foo/bar/baz", "_export", "_export/", "_export/..%2F..%2Fetc",
                    "_export/%2e%2e/file", "_export/%2e%2e%2f%2e%2e%2fetc", "_export/x/y/z", $"_export/{Hex(32)}/..%2F..%2Fsecret", "$", "$$", "Patient/$",
                    "%24export", "Patient%2F1", "Patient%2f1%2f_history", "_search", "Patient/_search/1", "Subscription/x/$status/extra", "Basic/careplan-update/_history",
                    "Subscription/%2e%2e%2f/$status", "Patient/1/_history/1/..%2F..%2F..%2Fmetadata", "Patient/%2e%2e%2fmetadata",
                ]);
                var hasBody = method is "POST" or "PUT" or "PATCH" or "DELETE" or "PROPFIND" && _random.Next(3) > 0;
                byte[]? body = hasBody ? Encoding.UTF8.GetBytes(Pick<string>([
                    """{"resourceType":"Patient","id":"1"}""", """[{"op":"replace","path":"/active","value":false}]""", "", """{"resourceType":"Parameters"}""",
                    """{"resourceType":"Bundle","type":"transaction","entry":[]}""",
                ])) : null;
                var contentType = hasBody ? Pick<string>([FhirJsonType, "application/json-patch+json", "application/fhir+json; charset=utf-8"]) : null;
                yield return new HostileRequest(category, $"{method}-{PathShape(path)}", method, path) { Body = body, ContentType = contentType };
                continue;
            }

            yield return ExportRequest(category, i);
        }
    }

    /// <summary>The path with its random parts taken out, for grouping.</summary>
    private static string PathShape(string path) => System.Text.RegularExpressions.Regex.Replace(path, "[0-9a-f]{32}", "{hex}");

    private HostileRequest ExportRequest(string category, int i)
    {
        var path = Pick<string>(["$export", "Patient/$export", "Group/nope/$export", "Group/%2e%2e/$export", "Group/1' OR '1'='1/$export"]);
        var async = _random.Next(4) > 0;
        KeyValuePair<string, string>[] prefer = async ? [KeyValuePair.Create("Prefer", Pick<string>(["respond-async", "respond-async, return=minimal", "RESPOND-ASYNC", "respond-async; wait=10"]))] : [];
        if (i % 50 == 0)
        {
            // A valid kick-off now and then: the run's later requests need an export job to poke at.
            return new HostileRequest(category, "export-valid", "GET", "$export?_type=Patient") { Headers = [KeyValuePair.Create("Prefer", "respond-async")] };
        }

        var parameter = Pick<string>(["_type", "_since", "_typeFilter", "_outputFormat", "_anonymizationConfig", "patient", "_elements", "includeAssociatedData", "foo", "_type"]);
        var value = parameter switch
        {
            "_type" => Pick<string>(["Spaceship", "", ",,,", "Patient,,Patient", "AuditEvent", "Subscription", "patient", "Patient Observation", "impress.ExportJob", .. HostileIds]),
            "_since" => Pick<string>(["garbage", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00", "2026-02-30T00:00:00Z",
                "2026-01-01T00:00:00+99:00", "", "2026-01-01T00:00:00.123456789012Z", .. HostileIds]),
            "_typeFilter" => Pick<string>(["Patient?_lastUpdated=9999", "Patient?identifier=1' OR '1'='1", "Spaceship?x=1", "?", "Patient", "Patient?",
                "Patient?foo=bar", "Patient?_count=0", "Observation?code=a,b,Patient?x=1", "Patient?_revinclude=Observation:subject", ",,,", .. HostileIds]),
            "_outputFormat" => Pick<string>(["application/fhir+json", "text/csv", "", "ndjson;;", .. HostileIds]),
            "_anonymizationConfig" => Pick<string>(["../../etc/passwd", "registry", "none", "", "%00", .. HostileIds]),
            _ => Pick(HostileValues),
        };
        var query = Uri.EscapeDataString(parameter) + "=" + Uri.EscapeDataString(value);
        if (_random.Next(3) == 0)
        {
            var parameters = $$$"""{"resourceType":"Parameters","parameter":[{"name":{{{JsonString(parameter)}}},"valueString":{{{JsonString(value)}}}}]}""";
            return new HostileRequest(category, $"export-post-{parameter}", "POST", path) { Body = Encoding.UTF8.GetBytes(parameters), ContentType = FhirJsonType, Headers = prefer };
        }

        return new HostileRequest(category, $"export-get-{parameter}", "GET", $"{path}?{query}") { Headers = prefer };
    }

    // ---- 6. Headers ----

    private IEnumerable<HostileRequest> HeaderAbuse()
    {
        const string category = "headers";
        for (var i = 0; i < HeaderCount; i++)
        {
            switch (i)
            {
                case < 200:
                    var ifMatch = Pick<string>(["W/\"abc\"", "*", "W/\"\"", "\"1\"", "W/\"1\"", "W/\"0\"", "W/\"-1\"", "W/\"99999999999999999999\"", "W/", "\"", "W/\"1\", W/\"2\"",
                        "W/\"1 OR 1=1\"", "W/\"\u0000\"", new string('9', 4_000), "W/\"" + new string('1', 4_000) + "\"", "w/\"1\"", " W/\"1\" "]);
                    var id = $"hostile-if-match-{i}";
                    yield return new HostileRequest(category, "if-match", "PUT", $"Patient/{id}")
                    {
                        Body = Encoding.UTF8.GetBytes(ValidPatient(FirstHeaderPatient + i, id)),
                        ContentType = FhirJsonType,
                        Headers = [KeyValuePair.Create("If-Match", ifMatch)],
                    };
                    break;
                case < 400:
                    var ifNoneExist = Pick<string>(["identifier=1' OR '1'='1", "_lastUpdated=9999", "_lastUpdated=le9999-12-31T23:59:59Z", "", "&&&", "=", "%zz", "foo=bar",
                        "identifier:missing=true", "_count=0", "_revinclude=Observation:subject", "_id=" + new string('x', 4_000), "identifier=" + NationalIdSystem + "|",
                        "?identifier=x", "identifier=<script>", "_id=a,b,c", "_page=garbage", "_include=*", "identifier=x&identifier=y", .. HostileIds.Where(Sendable)]);
                    var type = Pick<string>(["Patient", "Organization"]);
                    yield return new HostileRequest(category, "if-none-exist", "POST", type)
                    {
                        Body = Encoding.UTF8.GetBytes(type == "Patient" ? ValidPatient(FirstHeaderPatient + i, null) : """{"resourceType":"Organization","active":true}"""),
                        ContentType = FhirJsonType,
                        Headers = [KeyValuePair.Create("If-None-Exist", ifNoneExist)],
                    };
                    break;
                case < 550:
                    var prefer = Pick<string>(["return=", "return=bogus", "respond-async", "handling=strict", "handling=lenient", ";;;;", "return=minimal", "return=OperationOutcome",
                        "return=\"representation", "=", ",,,", "return=minimal, return=representation", new string('p', 4_000), "handling", "wait=-1", "return=\u0000"]);
                    var target = _random.Next(4);
                    yield return target switch
                    {
                        0 => new HostileRequest(category, "prefer-on-search", "GET", "Patient?foo=bar") { Headers = [KeyValuePair.Create("Prefer", prefer)] },
                        1 => new HostileRequest(category, "prefer-on-create", "POST", "Organization")
                        {
                            Body = """{"resourceType":"Organization","name":"hostile prefer"}"""u8.ToArray(),
                            ContentType = FhirJsonType,
                            Headers = [KeyValuePair.Create("Prefer", prefer)],
                        },
                        2 => new HostileRequest(category, "prefer-on-batch", "POST", "")
                        {
                            Body = """{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient?foo=bar"}}]}"""u8.ToArray(),
                            ContentType = FhirJsonType,
                            Headers = [KeyValuePair.Create("Prefer", prefer)],
                        },
                        _ => new HostileRequest(category, "prefer-on-read", "GET", "Patient/nope") { Headers = [KeyValuePair.Create("Prefer", prefer)] },
                    };
                    break;
                case < 700:
                    var contentType = Pick<string>(["application/fhir+json; charset=utf-16", "application/fhir+json; charset=\"", "application/fhir+json;;;",
                        "application/fhir+json; fhirVersion=3.0", "APPLICATION/FHIR+JSON", "application/fhir+json, text/plain", "application/fhir+json; charset=ebcdic",
                        "application/fhir+json; charset=utf-8; charset=latin1", "application/json", "text/json", "application/json+fhir", "application/fhir+json; q=0",
                        "application/fhir+json; " + new string('x', 4_000) + "=1", "application/fhir+json\t", " application/fhir+json"]);
                    var duplicated = _random.Next(4) == 0;
                    var path = Pick<string>(["Patient", "$validate", ""]);
                    var body = path == "" ? """{"resourceType":"Bundle","type":"batch","entry":[]}""" : """{"resourceType":"Patient","active":true}""";
                    yield return new HostileRequest(category, duplicated ? "content-type-duplicated" : "content-type-odd", "POST", path)
                    {
                        Body = Encoding.UTF8.GetBytes(body),
                        ContentType = contentType,
                        Headers = duplicated ? [KeyValuePair.Create("Content-Type", Pick<string>(["text/plain", "application/xml", FhirJsonType]))] : [],
                    };
                    break;
                case < 770:
                    var header = Pick<(string, string)>([
                        ("Authorization", "Bearer " + RandomBase64Url(200)), ("Authorization", "Basic " + Convert.ToBase64String("admin:admin"u8)), ("Authorization", new string('a', 4_000)),
                        ("Accept", "application/fhir+json;q=abc"), ("Accept-Charset", "ebcdic"), ("If-None-Match", "W/\"garbage\""), ("If-Modified-Since", "yesterday"),
                        ("X-HTTP-Method-Override", "DELETE"), ("X-Forwarded-For", "1' OR '1'='1"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "gopher"),
                        ("X-Original-URL", "/fhir/_export/x"), ("X-Rewrite-URL", "/etc/passwd"), ("Cookie", "session=" + new string('c', 2_000)), ("Expect", "100-continue"),
                        ("Expect", "garbage"), ("Range", "bytes=0-1"), ("Content-Encoding", "gzip"), ("Content-Language", "<script>"), ("Via", "1.1 evil"),
                    ]);
                    var read = _random.Next(2) == 0;
                    yield return new HostileRequest(category, "other-header-" + header.Item1.ToLowerInvariant(), read ? "GET" : "POST", read ? "Patient?identifier=x" : "Organization")
                    {
                        Body = read ? null : """{"resourceType":"Organization","name":"hostile header"}"""u8.ToArray(),
                        ContentType = read ? null : FhirJsonType,
                        Headers = [KeyValuePair.Create(header.Item1, header.Item2)],
                    };
                    break;
                case < 790:
                    // Over Kestrel's 32 KB of headers: Kestrel answers 431 itself.
                    yield return new HostileRequest(category, "headers-over-32kb", "GET", "Patient")
                    {
                        Headers = [KeyValuePair.Create(Pick<string>(["If-Match", "Prefer", "X-Hostile", "Accept"]), new string('h', 40_000))],
                        KestrelAnswers = [431],
                    };
                    break;
                default:
                    // More than Kestrel's 100 headers: Kestrel answers 431 itself.
                    yield return new HostileRequest(category, "over-100-headers", "GET", "Patient")
                    {
                        Headers = [.. Enumerable.Range(0, 110).Select(k => KeyValuePair.Create($"X-Hostile-{k}", "x"))],
                        KestrelAnswers = [431],
                    };
                    break;
            }
        }
    }

    // ---- 7. Batches with bad entries, transactions with duplicate fullUrls ----

    private IEnumerable<HostileRequest> BadBatches()
    {
        const string category = "batch";
        for (var i = 0; i < BatchCount; i++)
        {
            if (i < 750)
            {
                var kinds = new List<string>();
                var entries = new List<string>();
                for (var k = 1 + _random.Next(15); k > 0; k--)
                {
                    var (kind, entry) = BatchEntry(i, k);
                    kinds.Add(kind);
                    entries.Add(entry);
                }

                var headers = _random.Next(5) == 0 ? new[] { KeyValuePair.Create("Prefer", "return=minimal") } : [];
                var body = $$$"""{"resourceType":"Bundle","type":"batch","entry":[{{{string.Join(",", entries)}}}]}""";
                var named = kinds.Distinct().Order(StringComparer.Ordinal).ToList();
                yield return new HostileRequest(category, "batch:" + string.Join("+", named.Count > 4 ? [.. named.Take(4), "..."] : named), "POST", "")
                {
                    Body = Encoding.UTF8.GetBytes(body),
                    ContentType = FhirJsonType,
                    Headers = headers,
                };
                continue;
            }

            var (transactionKind, transaction) = DuplicateFullUrls(i);
            yield return new HostileRequest(category, transactionKind, "POST", "") { Body = Encoding.UTF8.GetBytes(transaction), ContentType = FhirJsonType };
        }
    }

    private (string Kind, string Entry) BatchEntry(int batch, int index)
    {
        var fullUrl = "urn:uuid:" + RandomGuid();
        switch (_random.Next(16))
        {
            case 0:
                return ("valid-create", $$$"""{"fullUrl":"{{{fullUrl}}}","resource":{"resourceType":"Organization","name":"hostile batch {{{batch}}}-{{{index}}}"},"request":{"method":"POST","url":"Organization"}}""");
            case 1:
                var value = $"hostile-{batch}-{_random.Next(3)}";
                return ("same-identifier", $$$"""{"resource":{"resourceType":"Organization","identifier":[{"system":"urn:hostile","value":"{{{value}}}"}]},"request":{"method":"POST","url":"Organization"}}""");
            case 2:
                return ("no-resource", """{"request":{"method":"POST","url":"Patient"}}""");
            case 3:
                return ("no-request", """{"resource":{"resourceType":"Patient"}}""");
            case 4:
                return ("bad-method", $$$"""{"resource":{"resourceType":"Patient"},"request":{"method":{{{Pick<string>(["\"DELETE\"", "\"PATCH\"", "\"HEAD\"", "\"FOO\"", "\"\"", "null", "7"])}}},"url":"Patient/1"}}""");
            case 5:
                var url = Pick<string>(["../../etc/passwd", "http://evil.example/fhir/Patient", "", "?", "Patient?", "metadata", "$export", "_export/x", "Patient/../../x", "%00", "Patient/1/../../..", "//"]);
                return ("hostile-url", $$$"""{"resource":{"resourceType":"Patient"},"request":{"method":"{{{Pick<string>(["POST", "PUT"])}}}","url":{{{JsonString(url)}}}}}""");
            case 6:
                return ("type-mismatch", """{"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Observation"}}""");
            case 7:
            case 8:
                return ("hostile-read", $$$"""{"request":{"method":"GET","url":{{{JsonString(Pick(HostileEntryUrls))}}}}}""");
            case 9:
                var id = Pick(HostileIds);
                return ("put-hostile-id", $$$"""{"resource":{"resourceType":"Patient","id":{{{JsonString(id)}}}},"request":{"method":"PUT","url":{{{JsonString("Patient/" + id)}}}}}""");
            case 10:
                return ("put-id-mismatch", """{"resource":{"resourceType":"Patient","id":"a"},"request":{"method":"PUT","url":"Patient/b"}}""");
            case 11:
                var condition = Pick<string>(["identifier=1' OR '1'='1", "_lastUpdated=9999", "", "foo=bar", "identifier:missing=true", "_count=0", "_id=", "identifier=" + NationalIdSystem + "|"]);
                return ("conditional-put", $$$"""{"resource":{"resourceType":"Patient","active":true},"request":{"method":"PUT","url":{{{JsonString("Patient?" + condition)}}}}}""");
            case 12:
                return ("put-if-match", $$$"""{"resource":{"resourceType":"Patient","id":"hostile-batch-{{{batch}}}-{{{index}}}"},"request":{"method":"PUT","url":"Patient/hostile-batch-{{{batch}}}-{{{index}}}","ifMatch":{{{JsonString(Pick<string>(["W/\"abc\"", "*", "W/\"2\"", "", "W/\"0\""]))}}}}}""");
            case 13:
                var unserved = Pick(UnservedResources);
                var unservedType = JsonNode.Parse(unserved)!["resourceType"]!.ToString();
                return ("unserved-type", $$$"""{"fullUrl":"{{{fullUrl}}}","resource":{{{unserved}}},"request":{"method":"POST","url":"{{{unservedType}}}"}}""");
            case 14:
                return ("invalid-resource", Pick<string>([
                    """{"resource":{"resourceType":"Patient","gender":"x"},"request":{"method":"POST","url":"Patient"}}""",
                    """{"resource":{"resourceType":"Observation"},"request":{"method":"POST","url":"Observation"}}""",
                    """{"resource":{"resourceType":"Patient","birthDate":"9999-99-99"},"request":{"method":"POST","url":"Patient"}}""",
                ]));
            default:
                return ("hostile-full-url", $$$"""{"fullUrl":{{{JsonString(Pick(HostileValues))}}},"resource":{"resourceType":"Organization","name":"x"},"request":{"method":"POST","url":"Organization","ifNoneExist":{{{JsonString(Pick(HostileValues))}}}}}""");
        }
    }

    private (string Kind, string Bundle) DuplicateFullUrls(int i)
    {
        var shared = "urn:uuid:" + RandomGuid();
        var organization = $$$"""{"fullUrl":"{{{shared}}}","resource":{"resourceType":"Organization","name":"duplicate {{{i}}}"},"request":{"method":"POST","url":"Organization"}}""";
        var patient = $$$"""{"fullUrl":"urn:uuid:{{{RandomGuid()}}}","resource":{"resourceType":"Patient","managingOrganization":{"reference":"{{{shared}}}"}},"request":{"method":"POST","url":"Patient"}}""";
        var put = $$$"""{"fullUrl":"{{{shared}}}","resource":{"resourceType":"Organization","id":"duplicate-{{{i}}}","name":"put"},"request":{"method":"PUT","url":"Organization/duplicate-{{{i}}}"}}""";
        var putAgain = $$$"""{"resource":{"resourceType":"Organization","id":"duplicate-{{{i}}}","name":"put again"},"request":{"method":"PUT","url":"Organization/duplicate-{{{i}}}"}}""";
        var self = $$$"""{"fullUrl":"{{{shared}}}","resource":{"resourceType":"Organization","name":"self","partOf":{"reference":"{{{shared}}}"}},"request":{"method":"POST","url":"Organization"}}""";
        var (kind, entries) = _random.Next(5) switch
        {
            0 => ("transaction:two-creates-one-full-url", new[] { organization, organization, patient }),
            1 => ("transaction:create-and-update-one-full-url", new[] { organization, put, patient }),
            2 => ("transaction:two-updates-of-one-id", new[] { put, putAgain }),
            3 => ("transaction:self-reference", new[] { self, self }),
            _ => ("transaction:many-duplicates", [.. Enumerable.Repeat(organization, 2 + _random.Next(20)), patient]),
        };
        return (kind, $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{{{string.Join(",", entries)}}}]}""");
    }

    // ---- Helpers ----

    /// <summary>The example report's Patient as the <paramref name="n"/>th synthetic patient: valid, so that what is hostile about its request is what the server looks at.</summary>
    private string ValidPatient(int n, string? id)
    {
        _patient ??= JsonNode.Parse(FhirJson.Serialize(ExampleReports.OfPatient(n).Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Patient>().First()))!.AsObject();
        var patient = _patient.DeepClone().AsObject();
        patient["identifier"]![0]!["value"] = SyntheticIdentities.NationalId(n);
        patient.Remove("id");
        if (id is not null)
        {
            patient["id"] = id;
        }

        return patient.ToJsonString();
    }

    private static HostileRequest Json(string category, string kind, string method, string path, string body) =>
        new(category, kind, method, path) { Body = Encoding.UTF8.GetBytes(body), ContentType = FhirJsonType };

    /// <summary>Notes the one thing Kestrel refuses by itself in what this run sends, with 400: a NUL, in the path (%00) or in a header.</summary>
    private static HostileRequest WithKestrelAnswers(HostileRequest request)
    {
        var path = request.Path.Split('?', 2)[0];
        var nul = path.Contains("%00", StringComparison.OrdinalIgnoreCase) || request.Headers.Any(h => h.Value.Contains('\0')) || request.ContentType?.Contains('\0') == true;
        return nul ? request with { KestrelAnswers = [.. request.KestrelAnswers, 400] } : request;
    }

    /// <summary>Whether HttpClient sends the value as a header at all: ASCII without line breaks (a NUL it sends, for Kestrel to refuse).</summary>
    private static bool Sendable(string value) => value.All(c => c is '\t' or '\0' or (>= ' ' and <= '~'));

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private Guid RandomGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private string Hex(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[_random.Next(16)]));

    private string RandomId(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."[_random.Next(64)]));

    private string RandomBase64Url(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(RandomBytes(bytes));

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static string JsonString(string value) => JsonSerializer.Serialize(value);

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] replacement)
    {
        var at = bytes.AsSpan().IndexOf(find);
        return at < 0 ? bytes : [.. bytes.AsSpan(0, at), .. replacement, .. bytes.AsSpan(at + find.Length)];
    }
}
