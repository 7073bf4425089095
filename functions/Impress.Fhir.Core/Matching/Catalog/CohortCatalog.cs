namespace Impress.Fhir.Matching.Catalog;

/// <summary>
/// The arms and cohorts patients are matched against: data the trial office maintains (stored and exchanged as
/// impress-arm and impress-cohort ResearchStudies), not code.
/// </summary>
public sealed class CohortCatalog(string name, string version, IReadOnlyList<Arm> arms, bool isExample = false)
{
    public string Name { get; } = name;

    public string Version { get; } = version;

    /// <summary>The shipped example catalog: realistic, but not the trial protocol.</summary>
    public bool IsExample { get; } = isExample;

    public IReadOnlyList<Arm> Arms { get; } = arms;

    public Arm? Find(string armId) => Arms.FirstOrDefault(a => string.Equals(a.Id, armId, StringComparison.OrdinalIgnoreCase));
}
