using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Storage;
using Impress.Fhir.Validation;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Api.Matching;

/// <summary>
/// The catalog the server matches against: the impress-arm and impress-cohort ResearchStudies in its store,
/// compiled once and compiled again after any of them changes (here, or in another instance: see
/// <see cref="MatchingOptions.CatalogRefreshInterval"/>). An empty store gets the configured seed catalog.
/// </summary>
public sealed partial class CatalogService(IFhirStore store, StoredResources stored, ImpressValidator validator, MatchingOptions options, TimeProvider time, ILogger<CatalogService> logger)
{
    private readonly object _gate = new();
    private Task<CompiledCatalog>? _current;
    private DateTimeOffset _loadedAt;

    public async Task<Matcher> GetAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Matcher;

    /// <summary>
    /// The catalog's stamp: the time of the latest change to any of its studies. A match message that follows a
    /// catalog change carries the stamp it must be matched against at least.
    /// </summary>
    public async Task<long> StampAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Stamp;

    /// <summary>Reads the catalog again when the compiled one is older than <paramref name="stamp"/>.</summary>
    public async System.Threading.Tasks.Task RequireAsync(long stamp, CancellationToken cancellationToken)
    {
        if ((await CurrentAsync(cancellationToken)).Stamp < stamp)
        {
            Invalidate();
        }
    }

    /// <summary>Forgets the compiled catalog: the next match reads the studies again.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    private Task<CompiledCatalog> CurrentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_current is null || _current.IsFaulted || _current.IsCanceled
                || (options.CatalogRefreshInterval > TimeSpan.Zero && now - _loadedAt > options.CatalogRefreshInterval))
            {
                _current = LoadAsync(cancellationToken);
                _loadedAt = now;
            }

            return _current;
        }
    }

    private async Task<CompiledCatalog> LoadAsync(CancellationToken cancellationToken)
    {
        var studies = await Studies(cancellationToken);
        if (!studies.Any(s => CatalogStudies.IsArm(s.Study)) && !string.IsNullOrWhiteSpace(options.SeedCatalog))
        {
            await SeedAsync(options.SeedCatalog, cancellationToken);
            studies = await Studies(cancellationToken);
        }

        var catalog = CatalogStudies.FromStudies(studies);
        LogLoaded(logger, catalog.Arms.Count, catalog.Arms.Sum(a => a.Cohorts.Count));
        var stamp = studies.Select(s => s.Study.Meta?.LastUpdated?.UtcTicks ?? 0).DefaultIfEmpty(0).Max();
        return new CompiledCatalog(new Matcher(catalog), stamp);
    }

    private sealed record CompiledCatalog(Matcher Matcher, long Stamp);

    private async Task<List<(string Reference, ResearchStudy Study)>> Studies(CancellationToken cancellationToken) =>
        (await StoredSearch.AllAsync(store, "ResearchStudy", [], cancellationToken)).Select(s => (s.Reference, (ResearchStudy)s.Resource)).ToList();

    /// <summary>Stores the seed catalog's studies (and the parent study) under their own ids, all in one commit.</summary>
    private async System.Threading.Tasks.Task SeedAsync(string seed, CancellationToken cancellationToken)
    {
        var package = validator.Package;
        var catalog = CatalogFile.Read(seed == "example" ? package.ExampleCatalog : seed);
        var resources = new List<Resource>();
        var parent = Path.Combine(package.ExamplesDirectory, "ResearchStudy-impress-norway.json");
        if (File.Exists(parent))
        {
            resources.Add(Fhir.FhirJsonReader.Default.Read(File.ReadAllBytes(parent)).Resource);
        }

        resources.AddRange(CatalogStudies.ToStudies(catalog));
        var writes = new List<ResourceWrite>();
        var claims = new List<UniqueClaim>();
        foreach (var resource in resources)
        {
            if (resource.Id is null || await store.ReadAsync(resource.TypeName, resource.Id, cancellationToken) is not null)
            {
                continue;
            }

            writes.Add(stored.Write(resource, resource.Id, 1, 0, time.GetUtcNow()));
            claims.AddRange(BusinessIdentifiers.KeysOf(resource).Select(key => new UniqueClaim(key, resource.TypeName, resource.Id)));
        }

        try
        {
            await store.CommitAsync(new StoreCommit(writes, claims), cancellationToken);
            LogSeeded(logger, catalog.Name, catalog.Arms.Count);
        }
        catch (Exception e) when (e is VersionConflictException or UniqueClaimConflictException)
        {
            // Another instance seeded at the same time: its catalog is the one to read.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cohort catalog loaded: {Arms} arms, {Cohorts} cohorts.")]
    private static partial void LogLoaded(ILogger logger, int arms, int cohorts);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store had no cohort catalog: stored {Catalog} ({Arms} arms).")]
    private static partial void LogSeeded(ILogger logger, string catalog, int arms);
}
