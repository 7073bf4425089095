using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Impress.Fhir.Testing;

/// <summary>
/// A regional health trust's rest-hook endpoint on a real loopback HTTP server (WireMock.Net): keeps every
/// notification bundle it is sent, with its headers and arrival time, and can be taken down (503) and brought back.
/// </summary>
public sealed class FakeSubscriber : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private volatile int _downStatus;

    public FakeSubscriber()
    {
        _server.Given(Request.Create().WithPath("/notify").UsingPost()).RespondWith(Response.Create().WithCallback(Receive));
    }

    /// <summary>The endpoint to subscribe with.</summary>
    public Uri Endpoint => new(_server.Url + "/notify");

    /// <summary>Every notification taken (2xx), in arrival order.</summary>
    public ConcurrentQueue<Notification> Received { get; } = new();

    /// <summary>Requests refused while down.</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>Answers every request with <paramref name="status"/> until <see cref="Up"/>.</summary>
    public void Down(int status = 503) => _downStatus = status;

    public void Up() => _downStatus = 0;

    /// <summary>The event notifications (not handshakes or heartbeats) taken, in order.</summary>
    public IReadOnlyList<Notification> Events => [.. Received.Where(n => n.Type == "event-notification")];

    public void Dispose() => _server.Stop();

    private ResponseMessage Receive(IRequestMessage request)
    {
        if (_downStatus is var status and not 0)
        {
            Interlocked.Increment(ref _refused);
            return new ResponseMessage { StatusCode = status };
        }

        var bundle = (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(request.Body ?? "")).Resource;
        var headers = request.Headers?.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase) ?? [];
        Received.Enqueue(new Notification(bundle, headers, DateTimeOffset.UtcNow));
        return new ResponseMessage { StatusCode = 200 };
    }

    /// <summary>One notification bundle as it arrived.</summary>
    public sealed record Notification(Bundle Bundle, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
    {
        public Parameters Status => (Parameters)Bundle.Entry[0].Resource!;

        public string Type => ((Code)Status.Parameter.Single(p => p.Name == "type").Value!).Value!;

        public long EventsSinceStart => long.Parse(((FhirString)Status.Parameter.Single(p => p.Name == "events-since-subscription-start").Value!).Value!, System.Globalization.CultureInfo.InvariantCulture);

        public string Subscription => ((ResourceReference)Status.Parameter.Single(p => p.Name == "subscription").Value!).Reference!;

        /// <summary>The events it carries: number and focus (null for empty content).</summary>
        public IReadOnlyList<(long Number, string? Focus)> NotificationEvents => [.. Status.Parameter.Where(p => p.Name == "notification-event").Select(p => (
            long.Parse(((FhirString)p.Part.Single(x => x.Name == "event-number").Value!).Value!, System.Globalization.CultureInfo.InvariantCulture),
            (p.Part.SingleOrDefault(x => x.Name == "focus")?.Value as ResourceReference)?.Reference))];
    }
}
