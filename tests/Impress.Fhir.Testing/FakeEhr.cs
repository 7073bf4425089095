using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Impress.Fhir.Testing;

/// <summary>
/// A hospital EHR on a real loopback HTTP server (WireMock.Net): its FHIR base answers conditional updates by
/// identifier the way a FHIR server does (the same identifier is the same resource: 200, a new one 201 with
/// Location), keeps what it got, and can be told to fail the next requests; /token issues OAuth2 tokens.
/// </summary>
public sealed class FakeEhr : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(Func<IRequestMessage, bool> When, Func<IRequestMessage, ResponseMessage?> Answer)> _faults = new();
    private readonly ConcurrentDictionary<string, bool> _validTokens = new(StringComparer.Ordinal);
    private int _tokensIssued;
    private int _nextId;

    public FakeEhr(bool requireToken = false)
    {
        RequireToken = requireToken;
        _server.Given(Request.Create().WithPath("/fhir/*").UsingPut()).RespondWith(Response.Create().WithCallback(Put));
        _server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithCallback(IssueToken));
    }

    public bool RequireToken { get; }

    public Uri FhirBase => new(_server.Url + "/fhir");

    public Uri TokenEndpoint => new(_server.Url + "/token");

    /// <summary>Every request the FHIR base answered, in order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    public int TokensIssued => _tokensIssued;

    /// <summary>The next requests to the FHIR base get these answers instead (null: answer normally after all).</summary>
    public void FailNext(params Func<IRequestMessage, ResponseMessage?>[] faults) => FailNextOf(_ => true, faults);

    /// <summary>The next requests of one type (e.g. "CarePlan") get these answers instead.</summary>
    public void FailNextOf(string type, params Func<IRequestMessage, ResponseMessage?>[] faults) =>
        FailNextOf(request => request.Path.EndsWith("/" + type, StringComparison.Ordinal), faults);

    private void FailNextOf(Func<IRequestMessage, bool> when, Func<IRequestMessage, ResponseMessage?>[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue((when, fault));
        }
    }

    /// <summary>Every token issued so far stops being accepted, as when it expires at the EHR before the client thinks.</summary>
    public void ExpireTokens() => _validTokens.Clear();

    /// <summary>The latest version of each resource the EHR holds, by type and identifier.</summary>
    public IReadOnlyList<Received> Stored(string type) =>
        Requests.Where(r => r.Type == type && r.Status is 200 or 201).GroupBy(r => r.Identifier).Select(g => g.Last()).ToList();

    public static Func<IRequestMessage, ResponseMessage?> Status(int status, string? body = null, string? retryAfter = null) => _ =>
    {
        var response = new ResponseMessage { StatusCode = status, Headers = new Dictionary<string, WireMockList<string>>() };
        if (body is not null)
        {
            response.Headers["Content-Type"] = new WireMockList<string>("application/fhir+json");
            response.BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String };
        }

        if (retryAfter is not null)
        {
            response.Headers["Retry-After"] = new WireMockList<string>(retryAfter);
        }

        return response;
    };

    /// <summary>Answers normally, but only after <paramref name="delay"/> (longer than the client waits: a timeout).</summary>
    public static Func<IRequestMessage, ResponseMessage?> Delay(TimeSpan delay) => _ =>
    {
        Thread.Sleep(delay);
        return null;
    };

    private ResponseMessage Put(IRequestMessage request)
    {
        var type = request.Path["/fhir/".Length..];
        var identifier = request.Query?.TryGetValue("identifier", out var values) == true ? values.FirstOrDefault() ?? "" : "";
        var authorization = request.Headers?.TryGetValue("Authorization", out var auth) == true ? auth.FirstOrDefault() : null;
        ResponseMessage response;
        if (RequireToken && (authorization is null || !_validTokens.ContainsKey(authorization["Bearer ".Length..])))
        {
            response = Status(401, Outcome("The access token is not valid."))(request)!;
        }
        else if (TakeFault(request) is { } fault && fault(request) is { } faulted)
        {
            response = faulted;
        }
        else
        {
            var created = false;
            var id = _ids.GetOrAdd(type + "|" + identifier, _ =>
            {
                created = true;
                return Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
            var body = JsonNode.Parse(request.Body ?? "{}")!.AsObject();
            body["id"] = id;
            response = new ResponseMessage
            {
                StatusCode = created ? 201 : 200,
                Headers = new Dictionary<string, WireMockList<string>>
                {
                    ["Content-Type"] = new("application/fhir+json"),
                    ["Location"] = new($"{_server.Url}/fhir/{type}/{id}/_history/1"),
                },
                BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
            };
        }

        Requests.Enqueue(new Received(type, identifier, request.Body ?? "", (int)response.StatusCode!, authorization, DateTimeOffset.UtcNow));
        return response;
    }

    /// <summary>The first planned fault that applies to the request, taken out of the plan.</summary>
    private Func<IRequestMessage, ResponseMessage?>? TakeFault(IRequestMessage request)
    {
        lock (_faults)
        {
            var planned = _faults.ToList();
            var index = planned.FindIndex(f => f.When(request));
            if (index < 0)
            {
                return null;
            }

            _faults.Clear();
            foreach (var (fault, i) in planned.Select((f, i) => (f, i)).Where(x => x.i != index))
            {
                _faults.Enqueue(fault);
            }

            return planned[index].Answer;
        }
    }

    private ResponseMessage IssueToken(IRequestMessage request)
    {
        var token = $"token-{Interlocked.Increment(ref _tokensIssued)}";
        _validTokens[token] = true;
        return new ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":3600}""", DetectedBodyType = BodyType.String },
        };
    }

    public static string Outcome(string message) => FhirJson.Serialize(new OperationOutcome
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.Invalid, Diagnostics = message }],
    });

    public void Dispose() => _server.Stop();

    /// <summary>One request to the FHIR base: the type and identifier of the conditional update, what was sent, the answer.</summary>
    public sealed record Received(string Type, string Identifier, string Body, int Status, string? Authorization, DateTimeOffset At)
    {
        public Resource Resource => FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(Body)).Resource;
    }
}
