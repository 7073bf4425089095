using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Security;
using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Audit;

/// <summary>
/// The audit record of one request, filled in as the request is understood (which interaction, on what, for which
/// patient) and written to the <see cref="AuditTrail"/> once, just before the response starts: a request whose
/// record cannot be written is answered 503 instead of with its data.
/// </summary>
public sealed class AuditedRequest(AuditTrail trail, Caller caller, HttpContext context)
{
    private readonly List<AuditEvent.EntityComponent> _entities = [];
    private bool _recorded;

    public Caller Caller => caller;

    public HttpContext Context => context;

    /// <summary>The FHIR restful-interaction code (read, search-type, create, transaction, operation...).</summary>
    public string Interaction { get; private set; } = "operation";

    public AuditEvent.AuditEventAction Action { get; private set; } = AuditEvent.AuditEventAction.E;

    /// <summary>Whether data leaves the server by this request the way an export does.</summary>
    public bool IsExport { get; private set; }

    public IReadOnlyList<AuditEvent.EntityComponent> Entities => _entities;

    /// <summary>Records what kind of request this is.</summary>
    public AuditedRequest Is(string interaction, AuditEvent.AuditEventAction action, bool export = false)
    {
        Interaction = interaction;
        Action = action;
        IsExport = export;
        return this;
    }

    /// <summary>A resource the request touches.</summary>
    public void Touches(string reference)
    {
        if (reference.StartsWith("Patient/", StringComparison.Ordinal))
        {
            AboutPatient(reference);
            return;
        }

        if (_entities.All(e => e.What?.Reference != reference))
        {
            _entities.Add(new AuditEvent.EntityComponent { What = new ResourceReference(reference), Type = AuditCodes.SystemObject, Role = AuditCodes.DomainResource });
        }
    }

    /// <summary>A Bulk Data export job, which is no FHIR resource: named by its id.</summary>
    public void TouchesExport(string job) =>
        _entities.Add(new AuditEvent.EntityComponent
        {
            What = new ResourceReference { Identifier = new Identifier(AuditCodes.ExportJobSystem, job) },
            Type = AuditCodes.SystemObject,
            Role = AuditCodes.DomainResource,
        });

    /// <summary>A patient whose data the request touches.</summary>
    public void AboutPatient(string reference)
    {
        if (_entities.All(e => e.What?.Reference != reference))
        {
            _entities.Add(new AuditEvent.EntityComponent { What = new ResourceReference(reference), Type = AuditCodes.Person, Role = AuditCodes.PatientRole });
        }
    }

    /// <summary>A search or export: its query, as BALP's query pattern records it.</summary>
    public void Queried(string type, string query) =>
        _entities.Add(new AuditEvent.EntityComponent
        {
            Type = AuditCodes.SystemObject,
            Role = AuditCodes.QueryRole,
            Description = type,
            Query = System.Text.Encoding.UTF8.GetBytes(query),
        });

    /// <summary>Writes the record with the response's status, once; throws <see cref="AuditUnavailableException"/> when it cannot.</summary>
    public async Task RecordAsync(HttpStatusCode status)
    {
        if (_recorded)
        {
            return;
        }

        _recorded = true;
        await trail.RecordAsync(this, status, context, context.RequestAborted);
    }

    /// <summary>Records the request of <paramref name="context"/>, if it is audited, before its response starts.</summary>
    public static Task BeforeResponseAsync(HttpContext context, HttpStatusCode status) =>
        context.Features.Get<AuditedRequest>() is { } audit ? audit.RecordAsync(status) : Task.CompletedTask;
}

/// <summary>The audit trail could not be written, so the request must not be answered as if it had been.</summary>
public sealed class AuditUnavailableException(Exception inner) : Exception("The audit trail could not be written.", inner);
