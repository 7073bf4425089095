using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Publishing.Authentication;
using Impress.Fhir.Fhir;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Api.Publishing;

/// <summary>
/// Carries out one delivery: takes the delivery Task (a version-checked write, so two workers never both do),
/// sends the studies the resource refers to (IMPRESS-Norway, the arm, the cohort: each before what refers to it),
/// then the resource itself, and records the outcome on the Task: delivered, due again later with backoff and
/// jitter, or a dead letter keeping the EHR's OperationOutcome.
/// </summary>
public sealed partial class DeliveryProcessor(
    IFhirStore store,
    StoredResources stored,
    HospitalRoutes routes,
    EhrClient ehr,
    PublishingOptions options,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger)
{
    /// <summary>Studies already at an EHR in the version we hold: (route, study reference, version) -> its URL there.</summary>
    private readonly ConcurrentDictionary<(string Route, string Study, long Version), string> _studiesSent = new();

    /// <summary>Takes and carries out the delivery of <paramref name="taskId"/> if it is still due; returns whether it ran.</summary>
    public async Task<bool> DeliverAsync(string taskId, CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(taskId, cancellationToken);
        if (claimed is null)
        {
            return false;
        }

        var (task, version) = claimed.Value;
        var route = routes.Find(task.Owner);
        var now = time.GetUtcNow();
        if (route?.FhirBaseUrl is null)
        {
            var hospital = task.Owner?.Identifier is { } id ? $"{id.System}|{id.Value}" : task.Owner?.Display ?? "(none)";
            DeliveryTasks.DeadLetter(task, now, $"No EHR is configured for the hospital {hospital}; add it under {PublishingOptions.Section}:Hospitals and set the Task's status back to requested.", null, noRoute: true);
            await RecordAsync(task, version, cancellationToken);
            LogNoRoute(logger, taskId);
            return true;
        }

        var outcome = await SendAsync(task, route, cancellationToken);
        now = time.GetUtcNow();
        switch (outcome)
        {
            case { Delivered: { } urls }:
                DeliveryTasks.Delivered(task, now, urls);
                LogDelivered(logger, taskId, route.Name, DeliveryTasks.Attempts(task));
                break;
            case { Transient: true } when DeliveryTasks.Attempts(task) < options.MaxDeliveryAttempts:
                var next = now + Backoff(DeliveryTasks.Attempts(task), outcome.RetryAfter);
                DeliveryTasks.Retry(task, now, next, outcome.Reason);
                LogRetrying(logger, taskId, route.Name, DeliveryTasks.Attempts(task), outcome.Status);
                break;
            default:
                var reason = outcome.Transient ? $"{outcome.Reason} No attempt left ({DeliveryTasks.Attempts(task)} made)." : outcome.Reason;
                DeliveryTasks.DeadLetter(task, now, reason, outcome.EhrOutcome);
                LogDeadLetter(logger, taskId, route.Name, outcome.Status);
                break;
        }

        await RecordAsync(task, version, cancellationToken);
        return true;
    }

    private async Task<(FhirTask Task, long Version)?> ClaimAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync("Task", taskId, cancellationToken) is not { IsDeleted: false } current)
        {
            return null;
        }

        var task = (FhirTask)FhirJsonReader.ReadStored(current.Json.Span);
        var now = time.GetUtcNow();
        if (!DeliveryTasks.IsDelivery(task) || !DeliveryTasks.IsDue(task, now, options.LeaseDuration))
        {
            return null;
        }

        DeliveryTasks.Claim(task, now);
        try
        {
            await store.CommitAsync(StoreCommit.Of(stored.Write(task, taskId, current.VersionId + 1, current.VersionId, now)), cancellationToken);
            return (task, current.VersionId + 1);
        }
        catch (VersionConflictException)
        {
            return null; // another worker took it, or a new version of the resource reopened it
        }
    }

    /// <summary>
    /// Stores the result. When the Task changed meanwhile (a new version of the resource reopened it) the result
    /// is of an older version: the reopened Task stands and delivers the latest.
    /// </summary>
    private async Task RecordAsync(FhirTask task, long version, CancellationToken cancellationToken)
    {
        try
        {
            await store.CommitAsync(StoreCommit.Of(stored.Write(task, task.Id!, version + 1, version, time.GetUtcNow())), cancellationToken);
        }
        catch (VersionConflictException)
        {
        }
    }

    private async Task<SendOutcome> SendAsync(FhirTask task, EhrRoute route, CancellationToken cancellationToken)
    {
        var focus = task.Focus?.Reference ?? "";
        var (type, id) = (focus.Split('/')[0], focus.Split('/').ElementAtOrDefault(1) ?? "");
        if (await store.ReadAsync(type, id, cancellationToken) is not { IsDeleted: false } current)
        {
            return SendOutcome.Refused($"{focus} is no longer stored.", null, null);
        }

        var resource = FhirJsonReader.ReadStored(current.Json.Span);
        try
        {
            var map = new Dictionary<string, ResourceReference>(StringComparer.Ordinal);
            foreach (var study in await StudiesAsync(resource, cancellationToken))
            {
                var key = (route.Name, study.Version.Reference, study.Version.VersionId);
                if (!_studiesSent.TryGetValue(key, out var url))
                {
                    var sent = await PutAsync(route, study.Resource, map, cancellationToken);
                    if (sent.Delivered is null)
                    {
                        return sent;
                    }

                    url = sent.Delivered[0];
                    _studiesSent[key] = url;
                }

                map[study.Version.Reference] = new ResourceReference(RelativeAt(url, route)) { Display = ((ResearchStudy)study.Resource).Title };
            }

            foreach (var reference in EhrResources.ReferencesOf(resource).Where(r => !map.ContainsKey(r)))
            {
                if (await LogicalReferenceAsync(reference, cancellationToken) is { } logical)
                {
                    map[reference] = logical;
                }
            }

            return await PutAsync(route, resource, map, cancellationToken);
        }
        catch (EhrAuthenticationException e)
        {
            return e.IsTransient ? SendOutcome.Failed(e.Message, null, null) : SendOutcome.Refused(e.Message, null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return SendOutcome.Failed($"The EHR {route.Name} did not answer ({(e is HttpRequestException ? "connection failed" : "timed out")}).", null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the EHR's doing; tried again later like a transient failure, so it is not held until the lease runs out.
            return SendOutcome.Failed($"Sending to {route.Name} failed: {e.GetType().Name}.", null, null);
        }
    }

    private async Task<SendOutcome> PutAsync(EhrRoute route, Resource resource, IReadOnlyDictionary<string, ResourceReference> map, CancellationToken cancellationToken)
    {
        var identifier = EhrResources.BusinessIdentifier(resource);
        if (identifier is null)
        {
            return SendOutcome.Refused($"{resource.TypeName}/{resource.Id} has no business identifier to find it by at the EHR.", null, null);
        }

        var response = await ehr.PutAsync(route, resource.TypeName, identifier, EhrResources.Outbound(resource, map), cancellationToken);
        var what = $"{resource.TypeName} {identifier.Value}";
        if (response.IsSuccess)
        {
            return SendOutcome.Sent(response.Location ?? $"{route.FhirBaseUrl?.ToString().TrimEnd('/')}/{resource.TypeName}?identifier={identifier.System}|{identifier.Value}");
        }

        var reason = $"The EHR {route.Name} answered {(int)response.Status} to {what}.";
        return response.IsTransient ? SendOutcome.Failed(reason, (int)response.Status, response.RetryAfter) : SendOutcome.Refused(reason, (int)response.Status, response.Outcome());
    }

    /// <summary>The studies a resource refers to, parents first: IMPRESS-Norway, then the arm, then the cohort.</summary>
    private async Task<List<(ResourceVersion Version, Resource Resource)>> StudiesAsync(Resource resource, CancellationToken cancellationToken)
    {
        var chain = new List<(ResourceVersion, Resource)>();
        var next = resource switch
        {
            CarePlan plan => plan.GetExtensionValue<ResourceReference>(Profiles.ImpressProfiles.CohortExtension)?.Reference,
            ResearchSubject subject => subject.Study?.Reference,
            _ => null,
        };
        while (next is not null && next.StartsWith("ResearchStudy/", StringComparison.Ordinal) && chain.Count < 5
            && await store.ReadAsync("ResearchStudy", next["ResearchStudy/".Length..], cancellationToken) is { IsDeleted: false } version)
        {
            var study = (ResearchStudy)FhirJsonReader.ReadStored(version.Json.Span);
            chain.Insert(0, (version, study));
            next = study.PartOf.FirstOrDefault()?.Reference;
        }

        return chain;
    }

    /// <summary>A reference the EHR can resolve without our ids: by the resource's business identifier (a patient's national id).</summary>
    private async Task<ResourceReference?> LogicalReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        var parts = reference.Split('/');
        if (parts.Length != 2 || await store.ReadAsync(parts[0], parts[1], cancellationToken) is not { IsDeleted: false } version)
        {
            return null;
        }

        var resource = FhirJsonReader.ReadStored(version.Json.Span);
        return EhrResources.BusinessIdentifier(resource) is { } identifier
            ? new ResourceReference { Type = parts[0], Identifier = new Identifier(identifier.System, identifier.Value) }
            : null;
    }

    /// <summary>The delay before the next attempt: exponential from RedeliveryDelay, capped, with jitter, and never before the EHR's Retry-After.</summary>
    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var exponential = options.RedeliveryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exponential, options.MaxRedeliveryDelay.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }

    private static string RelativeAt(string url, EhrRoute route)
    {
        var baseUrl = route.FhirBaseUrl!.ToString().TrimEnd('/') + "/";
        return url.StartsWith(baseUrl, StringComparison.Ordinal) ? url[baseUrl.Length..] : url;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery Task/{TaskId} delivered to {Route} (attempt {Attempt}).")]
    private static partial void LogDelivered(ILogger logger, string taskId, string route, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery Task/{TaskId} to {Route} failed (attempt {Attempt}, status {Status}); it will be retried.")]
    private static partial void LogRetrying(ILogger logger, string taskId, string route, int attempt, int? status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery Task/{TaskId} to {Route} is a dead letter (status {Status}).")]
    private static partial void LogDeadLetter(ILogger logger, string taskId, string route, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery Task/{TaskId} has no route to an EHR (see Publishing:Hospitals).")]
    private static partial void LogNoRoute(ILogger logger, string taskId);

    /// <summary>How sending went: delivered (the URLs at the EHR), failed for now, or refused for good.</summary>
    private sealed record SendOutcome(IReadOnlyList<string>? Delivered, bool Transient, string Reason, int? Status, TimeSpan? RetryAfter, OperationOutcome? EhrOutcome)
    {
        public static SendOutcome Sent(string url) => new([url], false, "", null, null, null);

        public static SendOutcome Failed(string reason, int? status, TimeSpan? retryAfter) => new(null, true, reason, status, retryAfter, null);

        public static SendOutcome Refused(string reason, int? status, OperationOutcome? outcome) => new(null, false, reason, status, null, outcome);
    }
}
