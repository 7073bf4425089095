using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Security;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Audit;

/// <summary>
/// Writes AuditEvents (IHE BALP basic patterns) to the store, durably and before the response they record: who
/// (the client and its organisation), what (the resources and patients, never their content), when, and the
/// outcome. The Mol-MDT and the trial office search them like any other resource.
/// </summary>
public sealed partial class AuditTrail(IFhirStore store, StoredResources stored, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>The name the server gives itself as the observer of what it records.</summary>
    public const string ServerName = "Impress.Fhir";

    public Task RecordAsync(AuditedRequest request, HttpStatusCode status, HttpContext context, CancellationToken cancellationToken)
    {
        var audit = new AuditEvent
        {
            Type = request.IsExport ? AuditCodes.ExportType : AuditCodes.RestType,
            Subtype = [AuditCodes.Interaction(request.Interaction)],
            Action = request.Action,
            Recorded = time.GetUtcNow(),
            Outcome = OutcomeOf(status),
            OutcomeDesc = $"{(int)status} {status} (trace id {context.TraceIdentifier})",
            Agent =
            [
                ClientAgent(request.Caller, context.Connection.RemoteIpAddress?.ToString()),
                ServerAgent(context.Request.Host.Host),
            ],
            Source = Source(),
            Entity = [.. request.Entities],
        };
        return WriteAsync(audit);
    }

    /// <summary>A subscription notification sent (or tried) to a subscriber: data leaving the server.</summary>
    public Task RecordDeliveryAsync(string subscriptionId, Uri endpoint, IEnumerable<string> focus, string? failure)
    {
        var audit = new AuditEvent
        {
            Type = AuditCodes.ExportType,
            Subtype = [new Coding("http://hl7.org/fhir/uv/subscriptions-backport/CodeSystem/backport-notification-type-code-system", "event-notification")],
            Action = AuditEvent.AuditEventAction.R,
            Recorded = time.GetUtcNow(),
            Outcome = failure is null ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
            OutcomeDesc = failure is null ? "Delivered." : "Not delivered: " + failure,
            Agent =
            [
                new AuditEvent.AgentComponent { Type = AuditCodes.SourceRole, Who = new ResourceReference { Display = ServerName }, Requestor = true },
                new AuditEvent.AgentComponent
                {
                    Type = AuditCodes.DestinationRole,
                    Who = new ResourceReference("Subscription/" + subscriptionId),
                    Requestor = false,
                    Network = new AuditEvent.NetworkComponent { Address = endpoint.Host, Type = AuditEvent.AuditEventAgentNetworkType.N1 },
                },
            ],
            Source = Source(),
            Entity = [.. focus.Select(reference => new AuditEvent.EntityComponent { What = new ResourceReference(reference), Type = AuditCodes.SystemObject, Role = AuditCodes.DomainResource })],
        };
        return WriteAsync(audit);
    }

    /// <summary>Commits one AuditEvent, flushed to disk; not cancelled with the request, so what was served is recorded.</summary>
    private async Task WriteAsync(AuditEvent audit)
    {
        try
        {
            await store.CommitAsync(StoreCommit.Of(stored.Write(audit, StoredResources.NewId(), 1, 0, time.GetUtcNow())), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogUnavailable(logger, e.GetType().Name);
            throw new AuditUnavailableException(e);
        }
    }

    private static AuditEvent.AgentComponent ClientAgent(Caller caller, string? address) => new()
    {
        Type = AuditCodes.SourceRole,
        Who = caller.Organization is { } organization
            ? new ResourceReference { Type = "Organization", Identifier = new Identifier(NorwegianIdentifierSystems.OrganizationNumber, organization) }
            : new ResourceReference { Display = "The local operator (no tokens)" },
        AltId = caller.ClientId,
        Name = $"{caller.ClientId} ({CallerRoles.NameOf(caller.Role)})",
        Requestor = true,
        Network = address is null ? null : new AuditEvent.NetworkComponent { Address = address, Type = AuditEvent.AuditEventAgentNetworkType.N2 },
    };

    private static AuditEvent.AgentComponent ServerAgent(string host) => new()
    {
        Type = AuditCodes.DestinationRole,
        Who = new ResourceReference { Display = ServerName },
        Requestor = false,
        Network = new AuditEvent.NetworkComponent { Address = host, Type = AuditEvent.AuditEventAgentNetworkType.N1 },
    };

    private static AuditEvent.SourceComponent Source() => new()
    {
        Site = ServerName,
        Observer = new ResourceReference { Display = ServerName },
        Type = [AuditCodes.ApplicationServer],
    };

    private static AuditEvent.AuditEventOutcome OutcomeOf(HttpStatusCode status) => (int)status switch
    {
        < 400 => AuditEvent.AuditEventOutcome.N0,
        < 500 => AuditEvent.AuditEventOutcome.N4,
        _ => AuditEvent.AuditEventOutcome.N8,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit trail could not be written ({ExceptionType}); the request is refused.")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType);
}
