using System.Net;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Subscriptions;

/// <summary>One filter of a subscription: the parameter and the values it accepts (any of them).</summary>
public sealed record TopicFilter(string Name, IReadOnlyList<string> Values);

/// <summary>An R4 Subscription to one of our topics, as the server works with it (read by <see cref="TopicSubscriptions.Read"/>).</summary>
public sealed record TopicSubscription(
    string Id,
    Subscription.SubscriptionStatus Status,
    SubscriptionTopic Topic,
    IReadOnlyList<TopicFilter> Filters,
    Uri Endpoint,
    IReadOnlyList<(string Name, string Value)> Headers,
    PayloadContent Content,
    TimeSpan? HeartbeatPeriod,
    TimeSpan? Timeout,
    int MaxCount);

/// <summary>A problem in a Subscription, at an element path relative to the resource ("channel.endpoint").</summary>
public sealed record SubscriptionProblem(string Element, string Message);

/// <summary>Reads a Subscription into a <see cref="TopicSubscription"/>, and says what is wrong with one that cannot be served.</summary>
public static class TopicSubscriptions
{
    /// <summary>Reads the subscription; problems, when there are any, say why it cannot be served (and the result is null).</summary>
    public static TopicSubscription? Read(Subscription subscription, List<SubscriptionProblem> problems)
    {
        var topic = SubscriptionTopics.Find(subscription.Criteria);
        if (topic is null)
        {
            problems.Add(new("criteria", $"'{subscription.Criteria}' is not a topic of this server; subscribe to one of {string.Join(", ", SubscriptionTopics.All.Select(t => t.Canonical))}."));
        }

        var filters = topic is null ? [] : ReadFilters(subscription, topic, problems);
        if (topic == SubscriptionTopics.CarePlanUpdate && !filters.Any(f => SubscriptionTopics.CarePlanScopeFilters.Contains(f.Name)))
        {
            problems.Add(new("criteria", "A careplan-update subscription names the trust or hospital whose patients it is for: a backport-filter-criteria of CarePlan?region=... or CarePlan?organization=...."));
        }

        var channel = subscription.Channel;
        if (channel?.Type != Subscription.SubscriptionChannelType.RestHook)
        {
            problems.Add(new("channel.type", "The channel is rest-hook: the only kind this server delivers."));
        }

        var endpoint = ReadEndpoint(channel?.Endpoint, problems);
        var headers = ReadHeaders([.. channel?.Header ?? []], problems);
        var content = ReadContent(channel?.PayloadElement, problems);
        if (content != PayloadContent.Empty && channel?.Payload is { } mime && mime != "application/fhir+json")
        {
            problems.Add(new("channel.payload", $"Notifications are sent as application/fhir+json, not '{mime}'."));
        }

        var heartbeat = Seconds(channel, Backport.HeartbeatPeriod, "heartbeat period", problems);
        var timeout = Seconds(channel, Backport.Timeout, "timeout", problems);
        var maxCount = channel?.GetExtensionValue<PositiveInt>(Backport.MaxCount)?.Value ?? 1;
        if (subscription.Status is null)
        {
            problems.Add(new("status", "A Subscription has a status: requested when it is created."));
        }

        return problems.Count > 0 || topic is null || endpoint is null
            ? null
            : new TopicSubscription(subscription.Id ?? "", subscription.Status!.Value, topic, filters, endpoint, headers, content, heartbeat, timeout, Math.Max(1, maxCount));
    }

    private static List<TopicFilter> ReadFilters(Subscription subscription, SubscriptionTopic topic, List<SubscriptionProblem> problems)
    {
        var filters = new List<TopicFilter>();
        var extensions = subscription.CriteriaElement?.Extension ?? [];
        for (var i = 0; i < extensions.Count; i++)
        {
            if (extensions[i].Url != Backport.FilterCriteria)
            {
                continue;
            }

            var element = $"criteria.extension[{i}].value";
            var text = (extensions[i].Value as FhirString)?.Value ?? "";
            var question = text.IndexOf('?');
            if (question < 0 || text[..question] != topic.ResourceType)
            {
                problems.Add(new(element, $"A filter of {topic.Code} reads {topic.ResourceType}?name=value, not '{text}'."));
                continue;
            }

            foreach (var pair in text[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair[..equals];
                var values = equals < 0 ? [] : Uri.UnescapeDataString(pair[(equals + 1)..]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (!topic.Filters.Contains(name))
                {
                    problems.Add(new(element, $"'{name}' is not a filter of {topic.Code}; it takes {string.Join(", ", topic.Filters)}."));
                }
                else if (values.Length == 0)
                {
                    problems.Add(new(element, $"The filter '{name}' has no value."));
                }
                else
                {
                    filters.Add(new TopicFilter(name, values));
                }
            }
        }

        return filters;
    }

    private static Uri? ReadEndpoint(string? endpoint, List<SubscriptionProblem> problems)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            problems.Add(new("channel.endpoint", "The endpoint is the absolute https URL notifications are posted to."));
            return null;
        }

        if (uri.Scheme == "http" && !IsLoopback(uri))
        {
            problems.Add(new("channel.endpoint", $"Notifications carry patient data: the endpoint is https (plain http only on this machine's loopback), not '{uri.Scheme}://{uri.Host}'."));
            return null;
        }

        return uri;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static List<(string Name, string Value)> ReadHeaders(List<string?> headers, List<SubscriptionProblem> problems)
    {
        var read = new List<(string, string)>();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i] ?? "";
            var colon = header.IndexOf(':');
            var name = colon <= 0 ? "" : header[..colon].Trim();
            var value = colon <= 0 ? "" : header[(colon + 1)..].Trim();
            if (name.Length == 0 || !name.All(IsTokenCharacter) || value.Any(c => c is '\r' or '\n' or '\0') || IsReserved(name))
            {
                problems.Add(new($"channel.header[{i}]", "A header reads 'Name: value' with a token name (not Host, Content-Type or Content-Length) and no line breaks."));
                continue;
            }

            read.Add((name, value));
        }

        return read;
    }

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static bool IsReserved(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    private static PayloadContent ReadContent(Code? payload, List<SubscriptionProblem> problems)
    {
        var code = (payload?.GetExtensionValue<Code>(Backport.PayloadContent))?.Value;
        switch (code)
        {
            case null or "empty":
                return PayloadContent.Empty;
            case "id-only":
                return PayloadContent.IdOnly;
            case "full-resource":
                return PayloadContent.FullResource;
            default:
                problems.Add(new("channel.payload.extension", $"'{code}' is not a payload content; use empty, id-only or full-resource."));
                return PayloadContent.Empty;
        }
    }

    private static TimeSpan? Seconds(Subscription.ChannelComponent? channel, string url, string what, List<SubscriptionProblem> problems)
    {
        var value = channel?.GetExtensionValue<UnsignedInt>(url)?.Value;
        if (value is < 0)
        {
            problems.Add(new("channel.extension", $"The {what} is a number of seconds."));
            return null;
        }

        return value is > 0 ? TimeSpan.FromSeconds(value.Value) : null;
    }
}
