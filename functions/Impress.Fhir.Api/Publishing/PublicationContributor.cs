using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Review;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Impress.Fhir.Api.Publishing;

/// <summary>
/// Puts what the hospital must see into the outbox in the same commit that writes it: a proposal (at once, or once
/// decided, by configuration), an accepted or revoked plan, a research subject. The outbox item is the resource's
/// delivery Task, opened again by each new version, so a crash after the commit loses nothing.
/// </summary>
public sealed class PublicationContributor(IFhirStore store, StoredResources stored, HospitalRoutes routes, PublishingOptions options, TimeProvider time) : ICommitContributor
{
    public async Task<CommitContribution> ContributeAsync(IReadOnlyList<ResourceWrite> examined, IReadOnlyList<ResourceWrite> commit, CancellationToken cancellationToken)
    {
        var writes = new List<ResourceWrite>();
        var claims = new List<UniqueClaim>();
        var now = time.GetUtcNow();
        foreach (var write in examined.Where(w => !w.Version.IsDeleted && w.Version.Type is "CarePlan" or "ResearchSubject"))
        {
            var resource = FhirJsonReader.ReadStored(write.Version.Json.Span);
            if (!IsPublished(resource, out var patient))
            {
                continue;
            }

            var focus = write.Version.Reference;
            var existing = await store.FindClaimAsync(BusinessIdentifiers.Key("Task", DeliveryTasks.IdentifierSystem, focus), cancellationToken) is { } owner
                ? await store.ReadAsync(owner.Type, owner.Id, cancellationToken)
                : null;
            if (existing is { IsDeleted: false })
            {
                if (commit.Any(w => w.Version.Reference == existing.Reference))
                {
                    continue;
                }

                var task = (FhirTask)FhirJsonReader.ReadStored(existing.Json.Span);
                if (task.Status == FhirTask.TaskStatus.Requested && DeliveryTasks.Attempts(task) == 0)
                {
                    continue; // not tried yet: it will send this version
                }

                DeliveryTasks.Reopen(task, now);
                writes.Add(stored.Write(task, task.Id!, existing.VersionId + 1, existing.VersionId, now));
            }
            else if (!IsUnpublishedWithdrawal(resource))
            {
                var hospital = await routes.HospitalOfAsync(patient, cancellationToken) ?? new ResourceReference { Display = "the patient names no hospital" };
                var task = DeliveryTasks.New(focus, patient, hospital, now);
                var id = StoredResources.NewId();
                writes.Add(stored.Write(task, id, 1, 0, now));
                claims.AddRange(BusinessIdentifiers.KeysOf(task).Select(k => new UniqueClaim(k, "Task", id)));
            }
        }

        return new CommitContribution(writes, claims);
    }

    /// <summary>A trial resource the hospital is told about, now.</summary>
    private bool IsPublished(Resource resource, out string patient)
    {
        switch (resource)
        {
            case CarePlan plan when plan.Identifier.Any(i => i.System == MatchResources.ProposalIdentifierSystem):
                patient = plan.Subject?.Reference ?? "";
                var undecided = plan.Intent == CarePlan.CarePlanIntent.Proposal && plan.Status == RequestStatus.Draft;
                return !undecided || options.PublishProposals == ProposalPublication.Immediately;
            case ResearchSubject subject when subject.Identifier.Any(i => i.System == ReviewContributor.SubjectIdentifierSystem):
                patient = subject.Individual?.Reference ?? "";
                return true;
            default:
                patient = "";
                return false;
        }
    }

    /// <summary>A proposal withdrawn (or declined) that the hospital never saw: nothing to tell.</summary>
    private static bool IsUnpublishedWithdrawal(Resource resource) => resource is CarePlan { Status: RequestStatus.Revoked };
}
