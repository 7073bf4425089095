using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;
using Impress.Fhir.Review;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Publishing;

/// <summary>
/// The outbox item that sends one resource to the EHR of the patient's hospital, as an impress-delivery-task. There
/// is one per published resource: each new version of the resource reopens it, so the EHR gets the latest. Its
/// versions are the delivery record: requested (due at restriction.period.start), in-progress (taken by a worker at
/// executionPeriod.start), completed, or failed (a dead letter keeping the EHR's OperationOutcome).
/// </summary>
public static class DeliveryTasks
{
    public const string IdentifierSystem = ImpressProfiles.Canonical + "/sid/delivery-task";
    public const string DeliveryCode = "ehr-delivery";
    private const string AttemptsOutput = "attempts";
    private const string DeliveredAsOutput = "delivered-as";
    private const string EhrOutcomeOutput = "ehr-outcome";
    private const string EhrOutcomeId = "ehr-outcome";

    public static bool IsDelivery(FhirTask task) => Workflow.Has(task.Code, DeliveryCode);

    /// <summary>A delivery of <paramref name="focus"/> ("CarePlan/id"), due now.</summary>
    public static FhirTask New(string focus, string? patient, ResourceReference hospital, DateTimeOffset now)
    {
        var task = new FhirTask
        {
            Meta = new Meta { Profile = [ImpressProfiles.DeliveryTask] },
            Identifier = [new Identifier(IdentifierSystem, focus)],
            Intent = FhirTask.TaskIntent.Order,
            Code = Workflow.Concept(DeliveryCode, "Delivery to the hospital's EHR"),
            Focus = new ResourceReference(focus),
            For = patient is null ? null : new ResourceReference(patient),
            AuthoredOn = Instant(now),
            Owner = hospital,
        };
        Reopen(task, now);
        return task;
    }

    /// <summary>Due again now, from the first attempt: the resource changed, or an operator re-drives it.</summary>
    public static void Reopen(FhirTask task, DateTimeOffset now)
    {
        task.Status = FhirTask.TaskStatus.Requested;
        task.BusinessStatus = Workflow.Concept("pending", "Pending");
        task.StatusReason = null;
        task.Output.Clear();
        task.Contained.Clear();
        task.ExecutionPeriod = null;
        task.Restriction = new FhirTask.RestrictionComponent { Period = new Period { Start = Instant(now) } };
        task.LastModified = Instant(now);
        task.Text = Narrative(task);
    }

    /// <summary>Whether a worker may take the delivery now: requested and due, or taken by a worker whose lease ran out.</summary>
    public static bool IsDue(FhirTask task, DateTimeOffset now, TimeSpan lease) => task.Status switch
    {
        FhirTask.TaskStatus.Requested => DueAt(task) <= now,
        FhirTask.TaskStatus.InProgress => ClaimedAt(task) is not { } claimed || claimed + lease <= now,
        _ => false,
    };

    /// <summary>When the delivery is due (now when it says nothing).</summary>
    public static DateTimeOffset DueAt(FhirTask task) => Parse(task.Restriction?.Period?.Start) ?? DateTimeOffset.MinValue;

    public static DateTimeOffset? ClaimedAt(FhirTask task) => Parse(task.ExecutionPeriod?.Start);

    /// <summary>How many attempts were made since the delivery was last opened.</summary>
    public static int Attempts(FhirTask task) =>
        task.Output.Where(o => Workflow.Has(o.Type, AttemptsOutput)).Select(o => (o.Value as UnsignedInt)?.Value).FirstOrDefault() ?? 0;

    /// <summary>Taken by a worker for one more attempt.</summary>
    public static void Claim(FhirTask task, DateTimeOffset now)
    {
        var attempts = Attempts(task) + 1;
        task.Status = FhirTask.TaskStatus.InProgress;
        task.ExecutionPeriod = new Period { Start = Instant(now) };
        task.Output.RemoveAll(o => Workflow.Has(o.Type, AttemptsOutput));
        task.Output.Add(new FhirTask.OutputComponent { Type = Workflow.Concept(AttemptsOutput), Value = new UnsignedInt(attempts) });
        task.LastModified = Instant(now);
    }

    /// <summary>The EHR accepted everything; <paramref name="deliveredAs"/> are the resources' URLs there.</summary>
    public static void Delivered(FhirTask task, DateTimeOffset now, IEnumerable<string> deliveredAs)
    {
        Finish(task, now, FhirTask.TaskStatus.Completed, "delivered", "Delivered", null);
        task.Output.AddRange(deliveredAs.Select(url => new FhirTask.OutputComponent { Type = Workflow.Concept(DeliveredAsOutput), Value = new FhirString(url) }));
        task.Text = Narrative(task);
    }

    /// <summary>A transient failure: due again at <paramref name="next"/>.</summary>
    public static void Retry(FhirTask task, DateTimeOffset now, DateTimeOffset next, string reason)
    {
        Finish(task, now, FhirTask.TaskStatus.Requested, "retrying", "Retrying", reason + $" Attempt {Attempts(task)} failed; the next is due at {Instant(next)}.");
        task.Restriction = new FhirTask.RestrictionComponent { Period = new Period { Start = Instant(next) } };
        task.Text = Narrative(task);
    }

    /// <summary>Refused by the EHR, or no attempt left: a dead letter until an operator re-drives it.</summary>
    public static void DeadLetter(FhirTask task, DateTimeOffset now, string reason, OperationOutcome? ehrOutcome, bool noRoute = false)
    {
        Finish(task, now, FhirTask.TaskStatus.Failed, noRoute ? "no-route" : "dead-letter", noRoute ? "No route" : "Dead letter", reason);
        if (ehrOutcome is not null)
        {
            task.Contained.Add(Kept(ehrOutcome));
            task.Output.Add(new FhirTask.OutputComponent { Type = Workflow.Concept(EhrOutcomeOutput), Value = new ResourceReference("#" + EhrOutcomeId) });
        }

        task.Text = Narrative(task);
    }

    /// <summary>
    /// The EHR's outcome as the Task keeps it: its issues, with the severity and code an EHR may leave out filled
    /// in, so that the Task stays valid and an operator can send it back to re-drive it.
    /// </summary>
    private static OperationOutcome Kept(OperationOutcome outcome) => new()
    {
        Id = EhrOutcomeId,
        Issue = outcome.Issue.Select(issue =>
        {
            var kept = (OperationOutcome.IssueComponent)issue.DeepCopy();
            kept.Severity ??= OperationOutcome.IssueSeverity.Error;
            kept.Code ??= OperationOutcome.IssueType.Processing;
            return kept;
        }).DefaultIfEmpty(new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.Processing, Diagnostics = "The EHR gave no issue." }).ToList(),
    };

    /// <summary>The OperationOutcome a dead letter keeps from the EHR, if any.</summary>
    public static OperationOutcome? EhrOutcome(FhirTask task) => task.Contained.OfType<OperationOutcome>().FirstOrDefault();

    public static IEnumerable<string> DeliveredAs(FhirTask task) =>
        task.Output.Where(o => Workflow.Has(o.Type, DeliveredAsOutput)).Select(o => (o.Value as FhirString)?.Value).OfType<string>();

    private static void Finish(FhirTask task, DateTimeOffset now, FhirTask.TaskStatus status, string code, string display, string? reason)
    {
        task.Status = status;
        task.BusinessStatus = Workflow.Concept(code, display);
        task.StatusReason = reason is null ? null : new CodeableConcept { Text = reason };
        task.ExecutionPeriod = new Period { Start = task.ExecutionPeriod?.Start, End = Instant(now) };
        task.Output.RemoveAll(o => !Workflow.Has(o.Type, AttemptsOutput));
        task.Contained.Clear();
        task.LastModified = Instant(now);
    }

    private static Narrative Narrative(FhirTask task) => Fhir.NarrativeText.Of(
        $"Delivery of {task.Focus?.Reference} to the EHR of {task.Owner?.Display ?? task.Owner?.Identifier?.Value ?? "the patient's hospital"}: " +
        $"{task.BusinessStatus?.Coding.FirstOrDefault()?.Display?.ToLowerInvariant()}{(task.StatusReason?.Text is { } reason ? ". " + reason : ".")}");

    private static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
}
