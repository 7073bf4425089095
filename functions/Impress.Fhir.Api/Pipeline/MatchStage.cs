using Impress.Fhir.Api.Matching;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// Matches one patient against the catalog and stores what changed in their proposals (with their review and
/// delivery Tasks, and the publish messages, in one commit). Matching again with nothing new writes nothing.
/// </summary>
public sealed class MatchStage(CatalogService catalog, ProposalService proposals) : IStageHandler
{
    public string Queue => StageQueues.Match;

    public bool Accepts(string resourceType) => resourceType == "Patient";

    public async Task HandleAsync(StageWork work, CancellationToken cancellationToken)
    {
        if (work.CatalogStamp is { } stamp)
        {
            await catalog.RequireAsync(stamp, cancellationToken);
        }

        await proposals.RefreshAsync(work.Id, cancellationToken);
    }
}
