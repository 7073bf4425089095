using Hl7.Fhir.Model;
using Impress.Fhir.Profiles;
using Impress.Fhir.Review;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// A Mol-MDT review that is completed carries its decision: accepted with the chosen cohort as output, or declined
/// with the reason. The profile cannot say "required when completed".
/// </summary>
public sealed class ReviewDecisionRule : IValidationRule
{
    public string Id => "review-decision";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Hl7.Fhir.Model.Task>())
        {
            var task = (Hl7.Fhir.Model.Task)entry.Resource;
            if (!ReviewTasks.IsReview(task) || task.Status != Hl7.Fhir.Model.Task.TaskStatus.Completed)
            {
                continue;
            }

            switch (ReviewTasks.DecisionOf(task))
            {
                case ReviewDecision.Accepted when ReviewTasks.ChosenCohort(task) is null:
                    issues.Add(this.Error(entry, "output", "An accepted review names the chosen cohort: an output of type cohort (" + ImpressProfiles.WorkflowCodeSystem + ") with a Reference to the cohort's ResearchStudy.", OperationOutcome.IssueType.Required));
                    break;
                case ReviewDecision.Declined when string.IsNullOrWhiteSpace(task.StatusReason?.Text) && task.StatusReason?.Coding.Count is not > 0:
                    issues.Add(this.Error(entry, "statusReason", "A declined review says why, in statusReason.", OperationOutcome.IssueType.Required));
                    break;
                case null:
                    issues.Add(this.Error(entry, "businessStatus", "A completed review carries the decision in businessStatus: accepted or declined (" + ImpressProfiles.WorkflowCodeSystem + ").", OperationOutcome.IssueType.Required));
                    break;
            }
        }
    }
}
