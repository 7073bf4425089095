using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Review;
using Impress.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Api.Review;

/// <summary>
/// The Mol-MDT's review, kept in the same commit as what causes it: a new proposal gets its review Task (a
/// withdrawn one has its Task cancelled); a decision recorded on the Task turns the proposal into the patient's plan
/// (a ResearchSubject, the patient counted into the cohort) or revokes it; a week-16 outcome on a ResearchSubject is
/// counted into the cohort, whose stage follows by the two-stage rule. A decision that cannot hold is refused.
/// </summary>
public sealed class ReviewContributor(IFhirStore store, StoredResources stored, PublishingOptions options, TimeProvider time) : ICommitContributor
{
    public const string SubjectIdentifierSystem = Profiles.ImpressProfiles.Canonical + "/sid/subject-id";

    public async Task<CommitContribution> ContributeAsync(IReadOnlyList<ResourceWrite> examined, IReadOnlyList<ResourceWrite> commit, CancellationToken cancellationToken)
    {
        var change = new Change(commit, time.GetUtcNow());
        foreach (var write in examined.Where(w => !w.Version.IsDeleted))
        {
            var refusal = write.Version.Type switch
            {
                "CarePlan" => await ProposalWrittenAsync(write, change, cancellationToken),
                "Task" => await TaskWrittenAsync(write, change, cancellationToken),
                "ResearchSubject" => await SubjectWrittenAsync(write, change, cancellationToken),
                _ => null,
            };
            if (refusal is not null)
            {
                return CommitContribution.Refuse(refusal);
            }
        }

        foreach (var (reference, cohort) in change.Cohorts)
        {
            if (commit.Any(w => w.Version.Reference == reference))
            {
                return CommitContribution.Refuse(FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict,
                    $"The request writes {reference} and changes its accounting by a decision or an outcome at once; send them apart."));
            }

            CatalogStudies.SetAccounting(cohort.Study, cohort.Accounting);
            change.Writes.Add(stored.Write(cohort.Study, cohort.Study.Id!, cohort.Version + 1, cohort.Version, change.Now));
        }

        return new CommitContribution(change.Writes, change.Claims);
    }

    /// <summary>A proposal was written by matching: open its review, or cancel the review of one withdrawn.</summary>
    private async Task<FhirResult?> ProposalWrittenAsync(ResourceWrite write, Change change, CancellationToken cancellationToken)
    {
        var plan = (CarePlan)Parse(write);
        var key = plan.Identifier.FirstOrDefault(i => i.System == MatchResources.ProposalIdentifierSystem)?.Value;
        if (key is null)
        {
            return null;
        }

        var review = await ReadByIdentifierAsync<FhirTask>("Task", ReviewTasks.IdentifierSystem, key, cancellationToken);
        if (review is not null && change.Commit.Any(w => w.Version.Reference == "Task/" + review.Value.Resource.Id))
        {
            return null; // the review itself is being decided in this commit
        }

        var open = plan.Status == RequestStatus.Draft && plan.Intent == CarePlan.CarePlanIntent.Proposal;
        if (open && review is null)
        {
            var task = ReviewTasks.For(plan, key, options.MolMdtOrganizationNumber, options.MolMdtName, change.Now);
            var id = StoredResources.NewId();
            change.Writes.Add(stored.Write(task, id, 1, 0, change.Now));
            change.Claims.AddRange(BusinessIdentifiers.KeysOf(task).Select(k => new UniqueClaim(k, "Task", id)));
        }
        else if (open && review is { Resource.Status: FhirTask.TaskStatus.Cancelled } reopened)
        {
            var task = reopened.Resource;
            task.Status = FhirTask.TaskStatus.Requested;
            task.StatusReason = null;
            task.Description = "Review by the Mol-MDT: " + plan.Description;
            task.LastModified = Instant(change.Now);
            change.Writes.Add(stored.Write(task, task.Id!, reopened.Version + 1, reopened.Version, change.Now));
        }
        else if (plan.Status == RequestStatus.Revoked && review is { Resource.Status: FhirTask.TaskStatus.Requested or FhirTask.TaskStatus.InProgress } withdrawn)
        {
            var task = withdrawn.Resource;
            task.Status = FhirTask.TaskStatus.Cancelled;
            task.StatusReason = new CodeableConcept { Text = plan.Description };
            task.LastModified = Instant(change.Now);
            change.Writes.Add(stored.Write(task, task.Id!, withdrawn.Version + 1, withdrawn.Version, change.Now));
        }

        return null;
    }

    /// <summary>A review Task was written: when it newly records a decision, carry the decision out.</summary>
    private async Task<FhirResult?> TaskWrittenAsync(ResourceWrite write, Change change, CancellationToken cancellationToken)
    {
        var task = (FhirTask)Parse(write);
        if (!ReviewTasks.IsReview(task))
        {
            return null;
        }

        var previous = write.ExpectedCurrentVersion > 0
            ? await store.ReadVersionAsync("Task", write.Version.Id, write.ExpectedCurrentVersion, cancellationToken) is { IsDeleted: false } version ? (FhirTask)Parse(version) : null
            : null;
        if (previous is not null && ReviewTasks.IsDecided(previous))
        {
            var same = ReviewTasks.IsDecided(task) && ReviewTasks.DecisionOf(task) == ReviewTasks.DecisionOf(previous) && ReviewTasks.ChosenCohort(task) == ReviewTasks.ChosenCohort(previous);
            return same ? null : Refuse(HttpStatusCode.Conflict, OperationOutcome.IssueType.BusinessRule,
                $"The Mol-MDT's decision on this proposal is recorded ({Describe(previous)}); a decided review is not reopened or changed. A new report or a catalog change brings a new proposal.", "Task.businessStatus");
        }

        if (!ReviewTasks.IsDecided(task))
        {
            return null;
        }

        var focus = task.Focus?.Reference;
        if (focus is null || !focus.StartsWith("CarePlan/", StringComparison.Ordinal)
            || await ReadAsync<CarePlan>("CarePlan", focus["CarePlan/".Length..], cancellationToken) is not { } proposal)
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"The review's focus {focus ?? "(none)"} is not a stored proposal CarePlan.", "Task.focus");
        }

        var plan = proposal.Resource;
        var proposalKey = plan.Identifier.FirstOrDefault(i => i.System == MatchResources.ProposalIdentifierSystem)?.Value;
        if (proposalKey is null)
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, $"{focus} is not a proposal from matching (it has no {MatchResources.ProposalIdentifierSystem} identifier).", "Task.focus");
        }

        if (change.Commit.Any(w => w.Version.Reference == focus))
        {
            return Refuse(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict, $"The request writes {focus} and records the Mol-MDT's decision on it at once; the decision changes the proposal itself, so send the Task alone.", "Task.focus");
        }

        if (plan.Status != RequestStatus.Draft || plan.Intent != CarePlan.CarePlanIntent.Proposal)
        {
            return Refuse(HttpStatusCode.Conflict, OperationOutcome.IssueType.BusinessRule,
                $"{focus} is no longer an open proposal (status {plan.Status?.ToString().ToLowerInvariant()}, intent {plan.Intent?.ToString().ToLowerInvariant()}): {plan.Description}", "Task.focus");
        }

        var today = change.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (ReviewTasks.DecisionOf(task) == ReviewDecision.Declined)
        {
            plan.Status = RequestStatus.Revoked;
            plan.Description = $"Declined by the Mol-MDT: {ReviewTasks.DeclineReason(task)}";
            plan.Text = NarrativeText.Of(plan.Description);
            change.Writes.Add(stored.Write(plan, plan.Id!, proposal.Version + 1, proposal.Version, change.Now));
            return null;
        }

        var chosen = ReviewTasks.ChosenCohort(task)!;
        var cohort = await CohortAsync(chosen, change, cancellationToken);
        if (cohort is null || !CatalogStudies.IsCohort(cohort.Study))
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.Value, $"The chosen cohort {chosen} is not a stored impress-cohort ResearchStudy.", "Task.output");
        }

        var arm = proposalKey.Split('|')[^1];
        var armStudy = cohort.Study.PartOf.FirstOrDefault()?.Reference is { } armReference && armReference.StartsWith("ResearchStudy/", StringComparison.Ordinal)
            ? await ReadAsync<ResearchStudy>("ResearchStudy", armReference["ResearchStudy/".Length..], cancellationToken)
            : null;
        if (armStudy?.Resource.Identifier.Any(i => i.System == CatalogStudies.ArmIdSystem && i.Value == arm) != true)
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, $"The chosen cohort {chosen} ({cohort.Study.Title}) is not a cohort of the proposed arm {arm}.", "Task.output");
        }

        var state = TwoStageDesign.Evaluate(cohort.Accounting);
        if (cohort.Study.Status != ResearchStudy.ResearchStudyStatus.Active || state.Availability != CohortAvailability.Open)
        {
            var why = cohort.Study.Status != ResearchStudy.ResearchStudyStatus.Active || state.Availability == CohortAvailability.Closed
                ? "it is closed"
                : "its stage is full and awaits the week-16 outcomes of its patients";
            return Refuse(HttpStatusCode.Conflict, OperationOutcome.IssueType.BusinessRule, $"Cohort {cohort.Study.Title} takes no patients now: {why}.", "Task.output");
        }

        var patient = plan.Subject?.Reference ?? "";
        var cohortId = cohort.Study.Identifier.First(i => i.System == CatalogStudies.CohortIdSystem).Value!;
        var subjectKey = $"{patient.Split('/')[^1]}|{cohortId}";
        if (await store.FindClaimAsync(BusinessIdentifiers.Key("ResearchSubject", SubjectIdentifierSystem, subjectKey), cancellationToken) is { } existing)
        {
            return Refuse(HttpStatusCode.Conflict, OperationOutcome.IssueType.Duplicate, $"The patient is already a research subject of cohort {cohortId} ({existing.Type}/{existing.Id}).", "Task.output");
        }

        plan.Intent = CarePlan.CarePlanIntent.Plan;
        plan.Status = RequestStatus.Active;
        plan.Period = new Period { Start = today };
        plan.Description = $"Accepted by the Mol-MDT in cohort {cohortId} ({cohort.Study.Title}).";
        plan.Text = NarrativeText.Of(plan.Description);
        plan.RemoveExtension(Profiles.ImpressProfiles.CohortExtension);
        plan.Extension.Insert(0, new Extension(Profiles.ImpressProfiles.CohortExtension, new ResourceReference(chosen) { Display = cohort.Study.Title }));
        change.Writes.Add(stored.Write(plan, plan.Id!, proposal.Version + 1, proposal.Version, change.Now));

        var subject = new ResearchSubject
        {
            Meta = new Meta { Profile = [Profiles.ImpressProfiles.ResearchSubject] },
            Identifier = [new Identifier(SubjectIdentifierSystem, subjectKey)],
            Status = ResearchSubject.ResearchSubjectStatus.Candidate,
            Period = new Period { Start = today },
            Study = new ResourceReference(chosen) { Display = cohort.Study.Title },
            Individual = new ResourceReference(patient),
            AssignedArm = arm,
            Text = NarrativeText.Of($"Candidate in cohort {cohortId} ({cohort.Study.Title}), accepted by the Mol-MDT."),
        };
        var subjectId = StoredResources.NewId();
        change.Writes.Add(stored.Write(subject, subjectId, 1, 0, change.Now));
        change.Claims.AddRange(BusinessIdentifiers.KeysOf(subject).Select(k => new UniqueClaim(k, "ResearchSubject", subjectId)));
        cohort.Accounting = cohort.Accounting with { Enrolled = cohort.Accounting.Enrolled + 1 };
        return null;
    }

    /// <summary>A ResearchSubject was written: a week-16 outcome recorded or changed is counted into its cohort.</summary>
    private async Task<FhirResult?> SubjectWrittenAsync(ResourceWrite write, Change change, CancellationToken cancellationToken)
    {
        var subject = (ResearchSubject)Parse(write);
        var previous = write.ExpectedCurrentVersion > 0
            ? await store.ReadVersionAsync("ResearchSubject", write.Version.Id, write.ExpectedCurrentVersion, cancellationToken) is { IsDeleted: false } version ? (ResearchSubject)Parse(version) : null
            : null;
        var (before, after) = (previous is null ? null : ReviewTasks.OutcomeOf(previous), ReviewTasks.OutcomeOf(subject));
        if (before == after)
        {
            return null;
        }

        if (previous is not null && previous.Study?.Reference != subject.Study?.Reference)
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, "A research subject's outcome is recorded in the cohort it was enrolled in; its study cannot change at the same time.", "ResearchSubject.study");
        }

        if (subject.Study?.Reference is not { } reference || await CohortAsync(reference, change, cancellationToken) is not { } cohort || !CatalogStudies.IsCohort(cohort.Study))
        {
            return Refuse(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.Value, $"The research subject's study {subject.Study?.Reference ?? "(none)"} is not a stored impress-cohort ResearchStudy.", "ResearchSubject.study");
        }

        int Count(Week16Outcome? outcome, Week16Outcome? counted = null) => outcome is not null && (counted is null || outcome == counted) ? 1 : 0;
        var accounting = cohort.Accounting;
        cohort.Accounting = accounting with
        {
            Evaluated = accounting.Evaluated + Count(after) - Count(before),
            Benefit = accounting.Benefit + Count(after, Week16Outcome.Benefit) - Count(before, Week16Outcome.Benefit),
        };
        return null;
    }

    private async Task<PendingCohort?> CohortAsync(string reference, Change change, CancellationToken cancellationToken)
    {
        if (change.Cohorts.TryGetValue(reference, out var pending))
        {
            return pending;
        }

        if (!reference.StartsWith("ResearchStudy/", StringComparison.Ordinal) || await ReadAsync<ResearchStudy>("ResearchStudy", reference["ResearchStudy/".Length..], cancellationToken) is not { } study)
        {
            return null;
        }

        return change.Cohorts[reference] = new PendingCohort(study.Resource, study.Version, CatalogStudies.AccountingOf(study.Resource));
    }

    private async Task<(T Resource, long Version)?> ReadAsync<T>(string type, string id, CancellationToken cancellationToken)
        where T : Resource =>
        await store.ReadAsync(type, id, cancellationToken) is { IsDeleted: false } version ? ((T)Parse(version), version.VersionId) : null;

    private async Task<(T Resource, long Version)?> ReadByIdentifierAsync<T>(string type, string system, string value, CancellationToken cancellationToken)
        where T : Resource =>
        await store.FindClaimAsync(BusinessIdentifiers.Key(type, system, value), cancellationToken) is { } owner
            ? await ReadAsync<T>(owner.Type, owner.Id, cancellationToken)
            : null;

    private static string Describe(FhirTask task) =>
        ReviewTasks.DecisionOf(task) == ReviewDecision.Accepted ? $"accepted in {ReviewTasks.ChosenCohort(task)}" : $"declined: {ReviewTasks.DeclineReason(task)}";

    private static FhirResult Refuse(HttpStatusCode status, OperationOutcome.IssueType code, string message, string expression) => FhirResult.Error(status, code, message, expression);

    private static Resource Parse(ResourceWrite write) => Parse(write.Version);

    private static Resource Parse(ResourceVersion version) => FhirJsonReader.ReadStored(version.Json.Span);

    private static string Instant(DateTimeOffset now) => now.ToString("o", CultureInfo.InvariantCulture);

    /// <summary>What this contribution writes, and the cohorts whose accounting it changes (counted once per commit).</summary>
    private sealed class Change(IReadOnlyList<ResourceWrite> commit, DateTimeOffset now)
    {
        public IReadOnlyList<ResourceWrite> Commit { get; } = commit;

        public DateTimeOffset Now { get; } = now;

        public List<ResourceWrite> Writes { get; } = [];

        public List<UniqueClaim> Claims { get; } = [];

        public Dictionary<string, PendingCohort> Cohorts { get; } = new(StringComparer.Ordinal);
    }

    private sealed class PendingCohort(ResearchStudy study, long version, CohortAccounting accounting)
    {
        public ResearchStudy Study { get; } = study;

        public long Version { get; } = version;

        public CohortAccounting Accounting { get; set; } = accounting;
    }
}
