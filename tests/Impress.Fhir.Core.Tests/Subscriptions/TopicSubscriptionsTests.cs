using Hl7.Fhir.Model;
using Impress.Fhir.Subscriptions;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Subscriptions;

public sealed class TopicSubscriptionsTests
{
    [Fact]
    public void A_trusts_subscription_is_read_with_its_filters_channel_and_payload()
    {
        var subscription = ExampleSubscriptions.CarePlans(new Uri("https://trust.example/notify"), "CarePlan?region=helse-vest&status=draft,active", "full-resource", 60, "Authorization: Bearer t");
        subscription.Id = "s1";
        var problems = new List<SubscriptionProblem>();

        var read = TopicSubscriptions.Read(subscription, problems);

        Assert.Empty(problems);
        Assert.NotNull(read);
        Assert.Equal(SubscriptionTopics.CarePlanUpdate, read.Topic);
        Assert.Equal([("region", "helse-vest"), ("status", "draft|active")], read.Filters.Select(f => (f.Name, string.Join('|', f.Values))));
        Assert.Equal((PayloadContent.FullResource, TimeSpan.FromSeconds(60)), (read.Content, read.HeartbeatPeriod));
        Assert.Equal([("Authorization", "Bearer t")], read.Headers);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/notify", true)]
    [InlineData("http://localhost/notify", true)]
    [InlineData("http://[::1]:9000/notify", true)]
    [InlineData("http://10.0.0.5/notify", false)]
    [InlineData("ftp://trust.example/notify", false)]
    [InlineData("/notify", false)]
    public void Plain_http_is_taken_only_on_loopback(string endpoint, bool accepted)
    {
        var subscription = ExampleSubscriptions.CarePlans(new Uri("https://trust.example/notify"), "CarePlan?organization=993467049");
        subscription.Channel.Endpoint = endpoint;
        var problems = new List<SubscriptionProblem>();

        TopicSubscriptions.Read(subscription, problems);

        Assert.Equal(accepted, problems.Count == 0);
        Assert.All(problems, p => Assert.Equal("channel.endpoint", p.Element));
    }

    [Fact]
    public void A_notification_carries_the_status_first_then_what_the_payload_content_says()
    {
        var subscription = TopicSubscriptions.Read(Identified(ExampleSubscriptions.CarePlans(new Uri("https://trust.example/notify"), "CarePlan?region=helse-vest")), [])!;
        var plan = new CarePlan { Id = "cp1", Status = RequestStatus.Draft };
        var recorded = new SubscriptionEvent(7, DateTimeOffset.UnixEpoch, "CarePlan/cp1/_history/1");
        var baseUrl = new Uri("https://impress.example/fhir");

        var idOnly = NotificationBundles.Create(NotificationTypes.EventNotification, subscription, baseUrl, Subscription.SubscriptionStatus.Active, 9, [(recorded, plan)], PayloadContent.IdOnly, DateTimeOffset.UnixEpoch);
        var empty = NotificationBundles.Create(NotificationTypes.EventNotification, subscription, baseUrl, Subscription.SubscriptionStatus.Active, 9, [(recorded, plan)], PayloadContent.Empty, DateTimeOffset.UnixEpoch);
        var full = NotificationBundles.Create(NotificationTypes.EventNotification, subscription, baseUrl, Subscription.SubscriptionStatus.Active, 9, [(recorded, plan)], PayloadContent.FullResource, DateTimeOffset.UnixEpoch);

        var status = NotificationBundles.StatusOf(idOnly);
        Assert.Equal(Bundle.BundleType.History, idOnly.Type);
        Assert.Equal(Backport.SubscriptionStatus, status.Meta!.Profile.Single());
        Assert.Equal("https://impress.example/fhir/Subscription/s1", ((ResourceReference)status.GetSingle("subscription")!.Value!).Reference);
        Assert.Equal("9", ((FhirString)status.GetSingle("events-since-subscription-start")!.Value!).Value);
        var notification = status.GetSingle("notification-event")!;
        Assert.Equal("7", ((FhirString)notification.Part.Single(p => p.Name == "event-number").Value!).Value);
        Assert.Equal("https://impress.example/fhir/CarePlan/cp1", ((ResourceReference)notification.Part.Single(p => p.Name == "focus").Value!).Reference);
        Assert.Equal(("https://impress.example/fhir/CarePlan/cp1", Bundle.HTTPVerb.POST, null), (idOnly.Entry[1].FullUrl, idOnly.Entry[1].Request!.Method, idOnly.Entry[1].Resource));
        Assert.Single(empty.Entry);
        Assert.DoesNotContain(NotificationBundles.StatusOf(empty).GetSingle("notification-event")!.Part, p => p.Name == "focus");
        Assert.Same(plan, full.Entry[1].Resource);
    }

    private static Subscription Identified(Subscription subscription)
    {
        subscription.Id = "s1";
        return subscription;
    }
}
