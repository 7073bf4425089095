using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// Hands a commit's consequences to the next stages, in the commit itself: a new or changed report, diagnosis,
/// observation or patient has its patient matched; an arm or cohort change that can change a match has the catalog
/// stage re-match everybody; an opened delivery Task is published; a CarePlan or study version is looked at by the
/// events stage; a subscription asked for is given its handshake. Since the messages are part of the commit, a
/// crash between the commit and the next stage loses nothing.
/// </summary>
public sealed class PipelineContributor(IFhirStore store, MatchingOptions matching) : ICommitContributor
{
    private static readonly HashSet<string> PatientData = new(StringComparer.Ordinal) { "DiagnosticReport", "Condition", "Observation", "Patient" };

    public async Task<CommitContribution> ContributeAsync(IReadOnlyList<ResourceWrite> examined, IReadOnlyList<ResourceWrite> commit, CancellationToken cancellationToken)
    {
        var messages = new List<StageMessage>();
        messages.AddRange(PatientsOf(examined).Select(patient => new StageMessage(StageQueues.Match, new StageWork("Patient", patient).Format())));

        foreach (var study in examined.Where(w => w.Version.Type == "ResearchStudy"))
        {
            if (await ChangesMatchingAsync(study, cancellationToken))
            {
                // Delayed by the catalog's refresh interval: by then every instance matches against the new catalog,
                // so no report matched meanwhile against the old one is missed by the re-match.
                messages.Add(new StageMessage(StageQueues.Catalog, new StageWork("ResearchStudy", study.Version.Id).Format(), matching.CatalogRefreshInterval));
                break;
            }
        }

        messages.AddRange(examined.Where(IsOpenedDelivery).Select(w => new StageMessage(StageQueues.Publish, new StageWork("Task", w.Version.Id).Format())));

        // A CarePlan's or study's version may be an event of a subscription's topic: the events stage decides.
        messages.AddRange(examined.Where(w => w.Version.Type is "CarePlan" or "ResearchStudy" && !w.Version.IsDeleted)
            .Select(w => new StageMessage(StageQueues.Events, new StageWork(w.Version.Type, w.Version.Id, Version: w.Version.VersionId).Format())));

        // A subscription a client asks to activate gets its handshake.
        messages.AddRange(examined.Where(w => w.Version.Type == "Subscription" && w.Index.Any(e => e.Parameter == "status" && e.Value == "requested"))
            .Select(w => new StageMessage(StageQueues.Notify, new StageWork("Subscription", w.Version.Id).Format())));
        return messages.Count == 0 ? CommitContribution.None : CommitContribution.Queue(messages);
    }

    /// <summary>The patients whose matching input a commit changes.</summary>
    private static IEnumerable<string> PatientsOf(IReadOnlyList<ResourceWrite> writes) => writes
        .Where(w => PatientData.Contains(w.Version.Type) && !w.Version.IsDeleted)
        .SelectMany(w => w.Version.Type == "Patient"
            ? [w.Version.Id]
            : w.Index.Where(e => e.Parameter == "subject" && e.Value.StartsWith("Patient/", StringComparison.Ordinal)).Select(e => e.Value["Patient/".Length..]))
        .Distinct(StringComparer.Ordinal);

    private static bool IsOpenedDelivery(ResourceWrite write) =>
        write.Version.Type == "Task"
        && write.Index.Any(e => e.Parameter == "code" && e.Value == DeliveryTasks.DeliveryCode)
        && write.Index.Any(e => e.Parameter == "status" && e.Value == "requested");

    /// <summary>
    /// Whether a study's new version can change a match: not when only a cohort's accounting moved and the cohort
    /// takes patients as before (a decision counting one patient in), which would otherwise re-match everybody.
    /// </summary>
    private async Task<bool> ChangesMatchingAsync(ResourceWrite write, CancellationToken cancellationToken)
    {
        if (write.Version.IsDeleted || write.ExpectedCurrentVersion == 0
            || await store.ReadVersionAsync(write.Version.Type, write.Version.Id, write.ExpectedCurrentVersion, cancellationToken) is not { IsDeleted: false } previous)
        {
            return true;
        }

        var (before, after) = ((ResearchStudy)FhirJsonReader.ReadStored(previous.Json.Span), (ResearchStudy)FhirJsonReader.ReadStored(write.Version.Json.Span));
        return TwoStageDesign.Evaluate(CatalogStudies.AccountingOf(before)).Availability != TwoStageDesign.Evaluate(CatalogStudies.AccountingOf(after)).Availability
            || MatchingContent(before) != MatchingContent(after);
    }

    private static string MatchingContent(ResearchStudy study)
    {
        var copy = (ResearchStudy)study.DeepCopy();
        copy.Meta = null;
        copy.Text = null;
        copy.RemoveExtension(CatalogStudies.CohortAccountingExtension);
        copy.RemoveExtension(CatalogStudies.CohortStageExtension);
        return FhirJson.Serialize(copy);
    }
}
