using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Api.Tests.Publishing;
using Impress.Fhir.Subscriptions;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests.Subscriptions;

/// <summary>
/// Regional health trusts subscribe to CarePlan updates (Subscriptions R5 Backport on R4) and get notifications at
/// their rest-hook endpoints (WireMock): through <c>impress serve</c>'s whole pipeline, from a posted report on.
/// </summary>
public sealed class SubscriptionTests : IDisposable
{
    private const string SouthEast = "helse-sor-ost";
    private const string West = "helse-vest";

    private static readonly string[] FastSweeps =
    [
        "--Subscriptions:SweepInterval=00:00:00.200",
        "--Subscriptions:RetryDelay=00:00:00.100",
        "--Subscriptions:MaxRetryDelay=00:00:00.400",
        "--Subscriptions:MaxFailures=3",
    ];

    private readonly string _data = Path.Combine(Path.GetTempPath(), "impress-subscriptions-" + Guid.NewGuid().ToString("N"));
    private readonly FakeEhr _ous = new();
    private readonly FakeEhr _hus = new();

    [Theory]
    [InlineData("topic", "Subscription.criteria")]
    [InlineData("no-scope", "Subscription.criteria")]
    [InlineData("filter", "Subscription.criteria.extension[0].value")]
    [InlineData("http", "Subscription.channel.endpoint")]
    [InlineData("header", "Subscription.channel.header[0]")]
    [InlineData("content", "Subscription.channel.payload.extension")]
    [InlineData("active", "Subscription.status")]
    public async Task A_subscription_the_server_cannot_serve_is_refused_naming_the_element(string fault, string element)
    {
        var server = await StartAsync();
        try
        {
            var subscription = ExampleSubscriptions.CarePlans(new Uri("https://trust.example/notify"), "CarePlan?region=" + West);
            switch (fault)
            {
                case "topic":
                    subscription.Criteria = "http://impress-norway.no/fhir/SubscriptionTopic/everything";
                    break;
                case "no-scope":
                    ((FhirString)subscription.CriteriaElement!.Extension[0].Value!).Value = "CarePlan?status=active";
                    break;
                case "filter":
                    ((FhirString)subscription.CriteriaElement!.Extension[0].Value!).Value = "CarePlan?region=helse-vest&name=x";
                    break;
                case "http":
                    subscription.Channel.Endpoint = "http://trust.example/notify";
                    break;
                case "header":
                    subscription.Channel.Header = ["Authorization: Bearer a\r\nX-Injected: b"];
                    break;
                case "content":
                    subscription.Channel.PayloadElement!.Extension[0].Value = new Code("everything");
                    break;
                case "active":
                    subscription.Status = Subscription.SubscriptionStatus.Active;
                    break;
            }

            var refused = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().CreateAsync(subscription));

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
            Assert.Contains(refused.Outcome!.Issue, i => i.Expression.Contains(element));
            Assert.Empty((await server.Client().SearchAsync<Subscription>([]))!.Entry);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_handshake_activates_a_subscription_and_one_that_fails_is_left_in_error_with_the_reason()
    {
        using var trust = new FakeSubscriber();
        using var gone = new FakeSubscriber();
        gone.Down(404);
        var server = await StartAsync();
        try
        {
            var active = await SubscribeAsync(server, ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=" + West, headers: "Authorization: Bearer trust-token"));
            var failed = (await server.Client().CreateAsync(ExampleSubscriptions.CarePlans(gone.Endpoint, "CarePlan?region=" + West)))!;
            failed = await StatusReachesAsync(server, failed.Id!, Subscription.SubscriptionStatus.Error);

            var handshake = Assert.Single(trust.Received);
            Assert.Equal("handshake", handshake.Type);
            Assert.EndsWith("/Subscription/" + active.Id, handshake.Subscription, StringComparison.Ordinal);
            Assert.Equal("Bearer trust-token", handshake.Headers["Authorization"]);
            Assert.Equal(Bundle.BundleType.History, handshake.Bundle.Type);
            Assert.Contains("HTTP 404", failed.Error, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_posted_report_notifies_its_trust_with_the_payload_each_subscription_asked_for()
    {
        using var empty = new FakeSubscriber();
        using var idOnly = new FakeSubscriber();
        using var full = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(empty.Endpoint, "CarePlan?region=" + SouthEast, "empty"));
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(idOnly.Endpoint, "CarePlan?region=" + SouthEast, "id-only"));
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(full.Endpoint, "CarePlan?organization=" + PublishingServer.OsloOrganizationNumber + "&status=draft", "full-resource"));

            var patient = PublishingServer.PatientOf((await server.Client().TransactionAsync(PublishingServer.ReportOf(751)))!);
            await server.PipelineIdleAsync();
            var proposals = await MatchingTests.ProposalsOf(server.Client(), patient);

            foreach (var trust in new[] { empty, idOnly, full })
            {
                var events = await EventsAsync(trust, 3);
                Assert.Equal([1L, 2L, 3L], events.SelectMany(e => e.NotificationEvents).Select(e => e.Number));
                Assert.All(events, e => Assert.True(e.EventsSinceStart >= e.NotificationEvents[^1].Number, "events since the start count the events carried"));
            }

            Assert.All(empty.Events, n => Assert.Equal((1, null), (n.Bundle.Entry.Count, n.NotificationEvents[0].Focus)));
            Assert.Equal(
                proposals.Select(p => "CarePlan/" + p.Id).Order(StringComparer.Ordinal),
                idOnly.Events.Select(n => n.NotificationEvents[0].Focus!.Split("/fhir/")[1]).Order(StringComparer.Ordinal));
            Assert.All(idOnly.Events, n => Assert.Null(n.Bundle.Entry[1].Resource));
            Assert.All(idOnly.Events, n => Assert.Equal(n.NotificationEvents[0].Focus, n.Bundle.Entry[1].FullUrl));
            Assert.All(full.Events, n => Assert.Equal(patient, Assert.IsType<CarePlan>(n.Bundle.Entry[1].Resource).Subject!.Reference));

            // Each notification sent is in the audit trail: to which subscription, about which CarePlan.
            var deliveries = (await server.Client().SearchAsync<AuditEvent>(["subtype=event-notification", "_count=100"]))!.Entry.Select(e => (AuditEvent)e.Resource!).ToList();
            Assert.Equal(9, deliveries.Count);
            Assert.All(deliveries, d =>
            {
                Assert.Equal("110106", d.Type.Code);
                Assert.Equal(AuditEvent.AuditEventOutcome.N0, d.Outcome);
                Assert.StartsWith("Subscription/", d.Agent[1].Who!.Reference, StringComparison.Ordinal);
            });
            Assert.Equal(
                proposals.SelectMany(p => Enumerable.Repeat("CarePlan/" + p.Id, 3)).Order(StringComparer.Ordinal),
                deliveries.SelectMany(d => d.Entity.Select(x => x.What!.Reference)).Order(StringComparer.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_trusts_each_get_only_their_own_regions_CarePlans()
    {
        using var southEast = new FakeSubscriber();
        using var west = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(southEast.Endpoint, "CarePlan?region=" + SouthEast, "full-resource"));
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(west.Endpoint, "CarePlan?region=" + West, "full-resource"));

            var oslo = PublishingServer.PatientOf((await server.Client().TransactionAsync(PublishingServer.ReportOf(752)))!);
            var bergen = PublishingServer.PatientOf((await server.Client().TransactionAsync(PublishingServer.ReportOf(753, PublishingServer.BergenOrganizationNumber)))!);
            await server.PipelineIdleAsync();

            Assert.All(await EventsAsync(southEast, 3), n => Assert.Equal(oslo, ((CarePlan)n.Bundle.Entry[1].Resource!).Subject!.Reference));
            Assert.All(await EventsAsync(west, 3), n => Assert.Equal(bergen, ((CarePlan)n.Bundle.Entry[1].Resource!).Subject!.Reference));
            await Task.Delay(500);
            Assert.Equal(3, southEast.Events.Count);
            Assert.Equal(3, west.Events.Count);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_idle_subscription_gets_heartbeats()
    {
        using var trust = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            await SubscribeAsync(server, ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=" + West, "empty", heartbeatSeconds: 1));

            var heartbeats = await PublishingServer.EventuallyAsync(() => trust.Received.Count(n => n.Type == "heartbeat") >= 2 ? trust.Received.Where(n => n.Type == "heartbeat").ToList() : null, "two heartbeats", 10);

            Assert.All(heartbeats, h => Assert.Equal(0, h.EventsSinceStart));
            Assert.True(heartbeats[1].At - heartbeats[0].At >= TimeSpan.FromMilliseconds(900), "a heartbeat period apart");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_endpoint_down_for_a_while_gets_every_event_once_in_order_and_the_subscription_recovers()
    {
        using var trust = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            var subscription = await SubscribeAsync(server, ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=" + SouthEast));
            trust.Down();

            await server.Client().TransactionAsync(PublishingServer.ReportOf(754));
            await server.Client().TransactionAsync(PublishingServer.ReportOf(755));
            await StatusReachesAsync(server, subscription.Id!, Subscription.SubscriptionStatus.Error);
            Assert.Empty(trust.Events);

            trust.Up();
            var events = await EventsAsync(trust, 6);

            Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.SelectMany(e => e.NotificationEvents).Select(e => e.Number));
            Assert.Equal(6, events.SelectMany(e => e.NotificationEvents).Select(e => e.Focus).Distinct().Count());
            await StatusReachesAsync(server, subscription.Id!, Subscription.SubscriptionStatus.Active);
            Assert.True(trust.Refused >= 3);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Status_and_events_let_a_subscriber_find_and_fill_a_gap()
    {
        using var trust = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            var subscription = await SubscribeAsync(server, ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=" + SouthEast));
            await server.Client().TransactionAsync(PublishingServer.ReportOf(756));
            var received = await EventsAsync(trust, 3);

            // The subscriber lost event 2 (it took the request, then crashed): it asks for it again.
            var dropped = received.Single(n => n.NotificationEvents[0].Number == 2);
            var location = new Uri(server.BaseUrl, "Subscription/" + subscription.Id);
            var status = (Bundle)(await server.Client().OperationAsync(location, "status", useGet: true))!;
            var range = new Parameters().Add("eventsSinceNumber", new FhirString("2")).Add("eventsUntilNumber", new FhirString("2"));
            var events = (Bundle)(await server.Client().OperationAsync(location, "events", range, useGet: true))!;

            var statusParameters = (Parameters)status.Entry[0].Resource!;
            Assert.Equal("3", ((FhirString)statusParameters.Parameter.Single(p => p.Name == "events-since-subscription-start").Value!).Value);
            Assert.Equal("query-status", ((Code)statusParameters.Parameter.Single(p => p.Name == "type").Value!).Value);
            var refilled = new FakeSubscriber.Notification(events, new Dictionary<string, string>(), DateTimeOffset.UtcNow);
            Assert.Equal("query-event", refilled.Type);
            Assert.Equal(dropped.NotificationEvents, refilled.NotificationEvents);

            var missing = await Assert.ThrowsAsync<FhirOperationException>(() => server.Client().OperationAsync(new Uri(server.BaseUrl, "Subscription/nope"), "status", useGet: true));
            Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Events_waiting_when_the_server_stops_are_delivered_in_order_after_the_restart()
    {
        using var trust = new FakeSubscriber();
        var first = await StartAsync();
        string subscriptionId;
        try
        {
            subscriptionId = (await SubscribeAsync(first, ExampleSubscriptions.CarePlans(trust.Endpoint, "CarePlan?region=" + SouthEast))).Id!;
            trust.Down();
            await first.Client().TransactionAsync(PublishingServer.ReportOf(757));
            await PublishingServer.EventuallyAsync(() => trust.Refused >= 2 ? "" : null, "deliveries are being refused");
        }
        finally
        {
            await first.DisposeAsync();
        }

        trust.Up();
        var second = await StartAsync();
        try
        {
            var events = await EventsAsync(trust, 3);

            Assert.Equal([1L, 2L, 3L], events.SelectMany(e => e.NotificationEvents).Select(e => e.Number));
            Assert.All(events, e => Assert.EndsWith("/Subscription/" + subscriptionId, e.Subscription, StringComparison.Ordinal));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Closing_a_cohort_notifies_the_cohort_status_subscribers_and_the_topics_are_listed_and_readable()
    {
        using var office = new FakeSubscriber();
        var server = await StartAsync();
        try
        {
            var capabilities = (await server.Client().CapabilityStatementAsync())!;
            var resource = capabilities.Rest[0].Resource.Single(r => r.Type == "Subscription");
            Assert.Equal(
                SubscriptionTopics.All.Select(t => t.Canonical),
                resource.Extension.Where(e => e.Url == Backport.TopicCanonical).Select(e => ((Canonical)e.Value!).Value));
            Assert.Contains(resource.Operation, o => o.Name == "events" && o.Definition == Backport.EventsOperation);
            var topic = (await server.Client().ReadAsync<Basic>("Basic/careplan-update"))!;
            Assert.Equal(SubscriptionTopics.CarePlanUpdate.Canonical, ((FhirUri)topic.GetExtension("http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.url")!.Value!).Value);
            Assert.Equal(2, (await server.Client().SearchAsync<Basic>([]))!.Entry.Count);

            var subscription = ExampleSubscriptions.CarePlans(office.Endpoint, "ResearchStudy?status=closed-to-accrual", "full-resource");
            subscription.Criteria = SubscriptionTopics.CohortStatus.Canonical;
            await SubscribeAsync(server, subscription);
            var cohort = await PublishingServer.EventuallyAsync(ReadCohortAsync, "the catalog is seeded at start");
            cohort.Status = ResearchStudy.ResearchStudyStatus.ClosedToAccrual;
            await server.Client().UpdateAsync(cohort);

            var notified = Assert.Single(await EventsAsync(office, 1));

            async Task<ResearchStudy?> ReadCohortAsync()
            {
                try
                {
                    return await server.Client().ReadAsync<ResearchStudy>("ResearchStudy/cohort-vemcob-crc");
                }
                catch (FhirOperationException e) when (e.Status == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }

            Assert.Equal(ResearchStudy.ResearchStudyStatus.ClosedToAccrual, Assert.IsType<ResearchStudy>(notified.Bundle.Entry[1].Resource).Status);
            Assert.EndsWith("ResearchStudy/cohort-vemcob-crc", notified.NotificationEvents[0].Focus, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _ous.Dispose();
        _hus.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private async Task<PublishingServer> StartAsync()
    {
        var server = new PublishingServer(
        [
            .. FastSweeps,
            .. PublishingServer.Route(0, "OUS", PublishingServer.OsloOrganizationNumber, _ous), $"--Publishing:Hospitals:0:Region={SouthEast}",
            .. PublishingServer.Route(1, "HUS", PublishingServer.BergenOrganizationNumber, _hus), $"--Publishing:Hospitals:1:Region={West}",
        ], _data);
        await server.InitializeAsync();
        return server;
    }

    private static async Task<Subscription> SubscribeAsync(PublishingServer server, Subscription subscription)
    {
        var created = (await server.Client().CreateAsync(subscription))!;
        Assert.Equal(Subscription.SubscriptionStatus.Requested, created.Status);
        return await StatusReachesAsync(server, created.Id!, Subscription.SubscriptionStatus.Active);
    }

    private static Task<Subscription> StatusReachesAsync(PublishingServer server, string id, Subscription.SubscriptionStatus status) =>
        PublishingServer.EventuallyAsync(async () => await server.Client().ReadAsync<Subscription>("Subscription/" + id) is { } read && read.Status == status ? read : null, $"Subscription/{id} is {status}");

    private static Task<List<FakeSubscriber.Notification>> EventsAsync(FakeSubscriber trust, int count) =>
        PublishingServer.EventuallyAsync(() => trust.Events.SelectMany(e => e.NotificationEvents).Count() >= count ? trust.Events.ToList() : null, $"{count} events arrived");
}
