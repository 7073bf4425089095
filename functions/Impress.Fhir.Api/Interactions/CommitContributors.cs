using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// Runs every <see cref="ICommitContributor"/> over a commit until nothing more follows: the writes one contributor
/// adds are shown to all of them again (a decision adds a CarePlan, the CarePlan adds its delivery).
/// </summary>
public sealed class CommitContributors(IEnumerable<ICommitContributor> contributors)
{
    /// <summary>Rounds after which a chain of contributions is surely a loop.</summary>
    private const int MaxRounds = 4;

    private readonly ICommitContributor[] _contributors = [.. contributors];

    /// <summary>Completes the commit in place; returns the refusal when a contributor refuses it.</summary>
    public async Task<FhirResult?> CompleteAsync(List<ResourceWrite> writes, List<UniqueClaim> claims, List<StageMessage> messages, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResourceWrite> examined = [.. writes];
        for (var round = 0; examined.Count > 0 && _contributors.Length > 0; round++)
        {
            if (round == MaxRounds)
            {
                throw new InvalidOperationException("Commit contributions did not settle: a contributor keeps adding writes.");
            }

            var added = new List<ResourceWrite>();
            foreach (var contributor in _contributors)
            {
                var contribution = await contributor.ContributeAsync(examined, writes, cancellationToken);
                if (contribution.Refusal is { } refusal)
                {
                    return refusal;
                }

                foreach (var write in contribution.Writes)
                {
                    if (writes.Any(w => w.Version.Type == write.Version.Type && w.Version.Id == write.Version.Id))
                    {
                        throw new InvalidOperationException($"{contributor.GetType().Name} wrote {write.Version.Reference}, which the commit already writes.");
                    }

                    writes.Add(write);
                    added.Add(write);
                }

                claims.AddRange(contribution.Claims);
                messages.AddRange(contribution.Messages.Where(m => !messages.Contains(m)));
            }

            examined = added;
        }

        return null;
    }
}
