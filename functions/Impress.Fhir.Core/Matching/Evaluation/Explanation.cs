namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// A criterion as it was evaluated: what it asks, its outcome, the resources that decided it (with what they
/// showed), a note on what was missing or failed, and its parts.
/// </summary>
public sealed record Explanation(
    string Description,
    Outcome Outcome,
    IReadOnlyList<Evidence> Evidence,
    string? Note,
    IReadOnlyList<Explanation> Parts)
{
    /// <summary>How an exclusion's node is described; its outcome is met when the exclusion applies.</summary>
    public const string ExclusionPrefix = "Exclusion: ";

    public bool IsExclusion => Description.StartsWith(ExclusionPrefix, StringComparison.Ordinal);

    public static Explanation Leaf(string description, Outcome outcome, IReadOnlyList<Evidence> evidence, string? note = null) =>
        new(description, outcome, evidence, note, []);

    /// <summary>The nodes depth first, each with its place in the tree ("1", "1.2", ...).</summary>
    public IEnumerable<(string Path, Explanation Node)> DepthFirst(string path = "1")
    {
        yield return (path, this);
        for (var i = 0; i < Parts.Count; i++)
        {
            foreach (var child in Parts[i].DepthFirst($"{path}.{i + 1}"))
            {
                yield return child;
            }
        }
    }
}

/// <summary>A resource that decided a criterion ("Observation/17" or a bundle's urn:uuid), and how it reads.</summary>
public readonly record struct Evidence(string Reference, string Display);
