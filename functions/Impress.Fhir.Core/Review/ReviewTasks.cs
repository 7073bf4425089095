using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Review;

/// <summary>
/// The Mol-MDT review of a treatment proposal as an impress-review-task: one Task per proposal (same business
/// identifier value), owned by the Mol-MDT, focused on the proposal CarePlan. The board decides by completing it.
/// </summary>
public static class ReviewTasks
{
    public const string IdentifierSystem = ImpressProfiles.Canonical + "/sid/review-task";
    public const string ReviewCode = "mol-mdt-review";
    public const string CohortOutput = "cohort";

    public static bool IsReview(FhirTask task) => Workflow.Has(task.Code, ReviewCode);

    /// <summary>A new review of a proposal, waiting for the board.</summary>
    public static FhirTask For(CarePlan proposal, string proposalKey, string molMdtOrganizationNumber, string molMdtName, DateTimeOffset now) => new()
    {
        Meta = new Meta { Profile = [ImpressProfiles.ReviewTask] },
        Identifier = [new Identifier(IdentifierSystem, proposalKey)],
        Status = FhirTask.TaskStatus.Requested,
        Intent = FhirTask.TaskIntent.Order,
        Priority = RequestPriority.Routine,
        Code = Workflow.Concept(ReviewCode, "Review by the Mol-MDT"),
        Description = "Review by the Mol-MDT: " + proposal.Description,
        Text = NarrativeText.Of("Review by the Mol-MDT: " + proposal.Description),
        Focus = new ResourceReference("CarePlan/" + proposal.Id),
        For = proposal.Subject is { } subject ? new ResourceReference(subject.Reference) : null,
        AuthoredOn = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        LastModified = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        Owner = new ResourceReference { Identifier = new Identifier(NorwegianIdentifierSystems.OrganizationNumber, molMdtOrganizationNumber), Display = molMdtName },
    };

    /// <summary>The decision recorded in businessStatus, or null when there is none (or an unknown code).</summary>
    public static ReviewDecision? DecisionOf(FhirTask task) =>
        Workflow.Has(task.BusinessStatus, "accepted") ? ReviewDecision.Accepted
        : Workflow.Has(task.BusinessStatus, "declined") ? ReviewDecision.Declined
        : null;

    /// <summary>The cohort chosen in an accepted review ("ResearchStudy/id"), or null.</summary>
    public static string? ChosenCohort(FhirTask task) =>
        task.Output.Where(o => Workflow.Has(o.Type, CohortOutput)).Select(o => (o.Value as ResourceReference)?.Reference)
            .FirstOrDefault(r => r is not null && r.StartsWith("ResearchStudy/", StringComparison.Ordinal));

    /// <summary>Why the board declined, as the Task says it.</summary>
    public static string? DeclineReason(FhirTask task) => task.StatusReason?.Text ?? task.StatusReason?.Coding.FirstOrDefault()?.Display;

    /// <summary>A decided review: status completed with a decision.</summary>
    public static bool IsDecided(FhirTask task) => task.Status == FhirTask.TaskStatus.Completed && DecisionOf(task) is not null;

    /// <summary>The week-16 outcome a ResearchSubject records, or null when it has none yet.</summary>
    public static Week16Outcome? OutcomeOf(ResearchSubject subject) =>
        subject.GetExtensionValue<CodeableConcept>(ImpressProfiles.Week16OutcomeExtension) is { } value
            ? Workflow.Has(value, "benefit") ? Week16Outcome.Benefit : Workflow.Has(value, "no-benefit") ? Week16Outcome.NoBenefit : null
            : null;
}
