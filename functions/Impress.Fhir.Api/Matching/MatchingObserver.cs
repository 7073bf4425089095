using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Matching;

/// <summary>
/// Matching follows the store: a new or changed report, diagnosis or observation of a patient matches that patient
/// again before the request is answered; a changed arm or cohort recompiles the catalog and re-matches everybody
/// in the background.
/// </summary>
public sealed class MatchingObserver(IServiceProvider services) : ICommitObserver
{
    private static readonly HashSet<string> PatientData = new(StringComparer.Ordinal) { "DiagnosticReport", "Condition", "Observation", "Patient" };

    public async Task CommittedAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Any(w => w.Version.Type == "ResearchStudy"))
        {
            services.GetRequiredService<CatalogService>().Invalidate();
            services.GetRequiredService<RematchWorker>().Request();
        }

        var patients = writes.Where(w => PatientData.Contains(w.Version.Type) && !w.Version.IsDeleted)
            .SelectMany(w => w.Version.Type == "Patient"
                ? [w.Version.Id]
                : w.Index.Where(e => e.Parameter == "subject" && e.Value.StartsWith("Patient/", StringComparison.Ordinal)).Select(e => e.Value["Patient/".Length..]))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (patients.Count == 0)
        {
            return;
        }

        // Resolved here, not injected: the proposal service writes to the store the interactions notify about.
        var proposals = services.GetRequiredService<ProposalService>();
        foreach (var patient in patients)
        {
            await proposals.RefreshAsync(patient, cancellationToken);
        }
    }
}
