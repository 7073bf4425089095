using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// Adds to a commit what must be stored with it, atomically: a Mol-MDT decision brings the CarePlan, the
/// ResearchSubject and the cohort's accounting it implies, a published CarePlan its delivery, a new report the
/// message that has its patient matched. Or refuses the commit
/// with a FHIR error (a decision for a cohort that takes no patients). Runs before the commit, after validation.
/// </summary>
public interface ICommitContributor
{
    /// <param name="examined">The writes this contributor has not seen yet (the request's, then those contributors added).</param>
    /// <param name="commit">Everything the commit holds so far: no contributor writes a resource twice.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<CommitContribution> ContributeAsync(IReadOnlyList<ResourceWrite> examined, IReadOnlyList<ResourceWrite> commit, CancellationToken cancellationToken);
}

/// <summary>What a contributor adds (writes, claims, work for the pipeline's next stages), or why the commit must not happen.</summary>
public sealed record CommitContribution(IReadOnlyList<ResourceWrite> Writes, IReadOnlyList<UniqueClaim> Claims, FhirResult? Refusal = null)
{
    /// <summary>Messages to queue with the commit.</summary>
    public IReadOnlyList<StageMessage> Messages { get; init; } = [];

    public static CommitContribution Queue(IReadOnlyList<StageMessage> messages) => new([], []) { Messages = messages };

    public static CommitContribution None { get; } = new([], []);

    public static CommitContribution Refuse(FhirResult refusal) => new([], [], refusal);
}
