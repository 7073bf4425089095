using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
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
        var studies = writes.Where(w => w.Version.Type == "ResearchStudy").ToList();
        if (studies.Count > 0)
        {
            services.GetRequiredService<CatalogService>().Invalidate();
            foreach (var study in studies)
            {
                if (await ChangesMatchingAsync(study, cancellationToken))
                {
                    services.GetRequiredService<RematchWorker>().Request();
                    break;
                }
            }
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

    /// <summary>
    /// Whether a study's new version can change a match: not when only a cohort's accounting moved and the cohort
    /// takes patients as before (a decision counting one patient in), which would otherwise re-match everybody.
    /// </summary>
    private async Task<bool> ChangesMatchingAsync(ResourceWrite write, CancellationToken cancellationToken)
    {
        if (write.Version.IsDeleted || write.ExpectedCurrentVersion == 0
            || await services.GetRequiredService<IFhirStore>().ReadVersionAsync(write.Version.Type, write.Version.Id, write.ExpectedCurrentVersion, cancellationToken) is not { IsDeleted: false } previous)
        {
            return true;
        }

        var (before, after) = ((ResearchStudy)FhirJsonReader.Default.Read(previous.Json.Span).Resource, (ResearchStudy)FhirJsonReader.Default.Read(write.Version.Json.Span).Resource);
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
