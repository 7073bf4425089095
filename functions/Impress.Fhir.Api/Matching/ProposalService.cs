using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Review;
using Impress.Fhir.Storage;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Matching;

/// <summary>
/// Keeps a patient's treatment proposals in step with their latest report and the catalog: an arm that matches
/// (with a cohort that takes patients, or none yet for the tumour type) has a draft proposal CarePlan; one that no
/// longer matches has its proposal revoked. Proposals the Mol-MDT has decided on are left alone.
/// All of a patient's changes are one commit.
/// </summary>
public sealed class ProposalService(IFhirStore store, StoredResources stored, CatalogService catalog, ImpressValidator validator, FhirServerOptions options, TimeProvider time, CommitContributors contributors)
{
    private readonly PatientProfileReader _reader = new(validator.Panel);

    /// <summary>Matches the patient again and stores what changed; returns how many proposals were written.</summary>
    public async Task<int> RefreshAsync(string patientId, CancellationToken cancellationToken)
    {
        var matcher = await catalog.GetAsync(cancellationToken);
        var patient = "Patient/" + patientId;
        for (var attempt = 1; ; attempt++)
        {
            var records = await LoadAsync(patient, cancellationToken);
            if (!records.Any(r => r.Resource is DiagnosticReport))
            {
                return 0;
            }

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var profile = _reader.FromResources(patient, records, today);
            var matches = matcher.Match(profile);
            var existing = records.Where(r => r.Resource is CarePlan plan && plan.Identifier.Any(i => i.System == MatchResources.ProposalIdentifierSystem))
                .ToDictionary(r => ((CarePlan)r.Resource).Identifier.First(i => i.System == MatchResources.ProposalIdentifierSystem).Value!, r => (CarePlan)r.Resource);
            var decided = records.Where(r => r.Resource is Hl7.Fhir.Model.Task task && ReviewTasks.IsReview(task) && ReviewTasks.IsDecided(task))
                .Select(r => ((Hl7.Fhir.Model.Task)r.Resource).Identifier.FirstOrDefault(i => i.System == ReviewTasks.IdentifierSystem)?.Value)
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            var (writes, claims) = Plan(matches, profile, today, existing, decided);
            if (writes.Count == 0)
            {
                return 0;
            }

            var proposals = writes.Count;
            var messages = new List<StageMessage>();
            if (await contributors.CompleteAsync(writes, claims, messages, cancellationToken) is { } refusal)
            {
                throw new InvalidOperationException($"A proposal commit was refused: {refusal.Status}.");
            }

            try
            {
                await store.CommitAsync(new StoreCommit(writes, claims, messages), cancellationToken);
                return proposals;
            }
            catch (Exception e) when (e is VersionConflictException or UniqueClaimConflictException && attempt < options.MaxWriteAttempts)
            {
                // A concurrent re-match of the same patient: read again and plan again.
            }
        }
    }

    private (List<ResourceWrite> Writes, List<UniqueClaim> Claims) Plan(IReadOnlyList<ArmMatch> matches, PatientProfile profile, DateOnly today, Dictionary<string, CarePlan> existing, HashSet<string> decided)
    {
        var writes = new List<ResourceWrite>();
        var claims = new List<UniqueClaim>();
        var now = time.GetUtcNow();
        var proposed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in matches.Where(Proposable))
        {
            var proposal = MatchResources.Proposal(match, profile, today);
            var key = proposal.Identifier[0].Value!;
            proposed.Add(key);
            if (existing.TryGetValue(key, out var current))
            {
                if (decided.Contains(key) || (!IsOpenProposal(current) && current.Status != RequestStatus.Revoked))
                {
                    continue;
                }

                proposal.Created = current.Status == RequestStatus.Revoked ? proposal.Created : current.Created;
                if (current.Status != RequestStatus.Revoked && SameContent(current, proposal))
                {
                    continue;
                }

                var version = long.Parse(current.Meta!.VersionId!, System.Globalization.CultureInfo.InvariantCulture);
                writes.Add(stored.Write(proposal, current.Id!, version + 1, version, now));
            }
            else
            {
                var id = StoredResources.NewId();
                writes.Add(stored.Write(proposal, id, 1, 0, now));
                claims.AddRange(BusinessIdentifiers.KeysOf(proposal).Select(k => new UniqueClaim(k, "CarePlan", id)));
            }
        }

        foreach (var (key, current) in existing.Where(e => !proposed.Contains(e.Key) && IsOpenProposal(e.Value)))
        {
            var withdrawn = (CarePlan)current.DeepCopy();
            var arm = key.Split('|')[^1];
            var reason = matches.FirstOrDefault(m => m.Arm.Id == arm)?.Summary ?? "The arm is no longer in the catalog.";
            withdrawn.Status = RequestStatus.Revoked;
            withdrawn.Description = $"Withdrawn: {reason}";
            withdrawn.Text = NarrativeText.Of(withdrawn.Description);
            var version = long.Parse(current.Meta!.VersionId!, System.Globalization.CultureInfo.InvariantCulture);
            writes.Add(stored.Write(withdrawn, current.Id!, version + 1, version, now));
        }

        return (writes, claims);
    }

    /// <summary>A match worth a proposal: one whose cohort takes patients now or later, or that has no cohort yet.</summary>
    private static bool Proposable(ArmMatch match) =>
        match.Result == MatchResult.Matched && match.CohortState?.Availability != CohortAvailability.Closed;

    private static bool IsOpenProposal(CarePlan plan) => plan.Intent == CarePlan.CarePlanIntent.Proposal && plan.Status == RequestStatus.Draft;

    /// <summary>Whether storing the proposal would change nothing but the version: then it is not stored.</summary>
    private static bool SameContent(CarePlan current, CarePlan proposal) => Content(current) == Content(proposal);

    private static string Content(CarePlan plan)
    {
        var copy = (CarePlan)plan.DeepCopy();
        copy.Meta = null;
        copy.Id = null;
        return FhirJson.Serialize(copy);
    }

    /// <summary>The patient and what refers to them: the resources matching reads, and their proposals.</summary>
    private async Task<List<(string Reference, Resource Resource)>> LoadAsync(string patient, CancellationToken cancellationToken)
    {
        var records = new List<(string Reference, Resource Resource)>();
        if (await store.ReadAsync("Patient", patient["Patient/".Length..], cancellationToken) is { IsDeleted: false } version)
        {
            records.Add((patient, FhirJsonReader.ReadStored(version.Json.Span)));
        }

        foreach (var type in new[] { "DiagnosticReport", "Condition", "Specimen", "Observation", "CarePlan", "Task" })
        {
            records.AddRange(await StoredSearch.AllAsync(store, type, StoredSearch.Referencing("subject", patient), cancellationToken));
        }

        return records;
    }
}
