namespace Impress.Fhir.Api.Matching;

/// <summary>Settings of matching (configuration section "Matching").</summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>
    /// The catalog to store when the store has none: "example" for the example catalog shipped with the package,
    /// a path to a catalog file, or empty for none (the trial office then stores the real one as ResearchStudies).
    /// </summary>
    public string? SeedCatalog { get; set; }

    /// <summary>How many patients a re-match works on at once.</summary>
    public int RematchParallelism { get; set; } = 2;
}
