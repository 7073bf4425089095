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

    /// <summary>
    /// How long a process matches against the catalog it compiled before it reads the catalog again, and how long
    /// after a catalog change everybody is re-matched: with several instances (Azure Functions), an instance sees
    /// another's catalog change within this time. Zero where one process owns the store (<c>impress serve</c> on the
    /// embedded store): it hears of its own changes at once.
    /// </summary>
    public TimeSpan CatalogRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
