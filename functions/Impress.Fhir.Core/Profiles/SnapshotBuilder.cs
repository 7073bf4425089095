using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Profiles;

/// <summary>What snapshot generation made of one StructureDefinition file.</summary>
/// <param name="File">The file.</param>
/// <param name="Url">The StructureDefinition's canonical url.</param>
/// <param name="Json">The file's content with a freshly generated snapshot.</param>
/// <param name="IsStale">Whether the snapshot in the file differs from the generated one (or is missing).</param>
/// <param name="Issues">What the generator reported (unresolvable types, bad slicing, ...).</param>
public sealed record SnapshotResult(string File, string Url, string Json, bool IsStale, IReadOnlyList<OperationOutcome.IssueComponent> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
}

/// <summary>
/// Generates the snapshots of the package's StructureDefinitions from their differentials. Snapshots are kept in
/// the repository because generating them costs seconds at every start; this builder is how they are made, and how
/// CI finds one that no longer matches its differential.
/// </summary>
public sealed class SnapshotBuilder(ProfilePackage package, CoreSpecificationSource core)
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    public async Task<IReadOnlyList<SnapshotResult>> BuildAsync()
    {
        var files = package.StructureDefinitionFiles.ToList();
        var stored = files.ToDictionary(f => f, f => Deserializer.Deserialize<StructureDefinition>(File.ReadAllText(f)));

        // Generate from differentials only: each definition of ours is served without its stored snapshot, so a
        // stale snapshot of one profile can never leak into another's.
        var fresh = stored.ToDictionary(kv => kv.Key, kv =>
        {
            var copy = (StructureDefinition)kv.Value.DeepCopy();
            copy.Snapshot = null;
            return copy;
        });
        var resolver = new CachedResolver(new MultiResolver(new InMemoryResourceResolver(fresh.Values), core));
        var generator = new SnapshotGenerator(resolver, SnapshotGeneratorSettings.CreateDefault());

        var results = new List<SnapshotResult>();
        foreach (var file in files)
        {
            var definition = fresh[file];
            await generator.UpdateAsync(definition);

            var issues = generator.Outcome?.Issue.ToList() ?? [];
            var json = FhirJson.SerializeForFile(definition);
            var isStale = FhirJson.Serialize(stored[file]) != FhirJson.Serialize(definition);
            results.Add(new SnapshotResult(file, definition.Url ?? Path.GetFileName(file), json, isStale, issues));
        }

        return results;
    }
}
