using Impress.Fhir.Profiles;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Profiles;

/// <summary>The committed snapshots must be exactly what the differentials generate: CI fails on a stale one.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public async System.Threading.Tasks.Task Committed_snapshots_are_up_to_date_and_generate_without_errors()
    {
        var package = ProfilePackage.Load(RepositoryPaths.Profiles);

        var results = await new SnapshotBuilder(package, CoreSpecificationSource.OpenDefault()).BuildAsync();

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.False(r.HasErrors, $"{r.File}: {string.Join("; ", r.Issues.Select(i => i.Details?.Text))}"));
        var stale = results.Where(r => r.IsStale).Select(r => Path.GetFileName(r.File)).ToList();
        Assert.True(stale.Count == 0, $"Stale snapshots (run 'impress profiles snapshot'): {string.Join(", ", stale)}");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_changed_differential_is_detected_as_stale()
    {
        using var copy = new TemporaryPackage();
        var variant = copy.PathOf("StructureDefinition-impress-variant.json");
        var json = File.ReadAllText(variant);
        var differential = json.IndexOf("\"differential\"", StringComparison.Ordinal);
        var firstShort = json.IndexOf("\"short\": \"", differential, StringComparison.Ordinal);
        Assert.True(firstShort > 0, "The variant differential should carry a short description to change.");
        File.WriteAllText(variant, json.Insert(firstShort + "\"short\": \"".Length, "CHANGED "));

        var results = await new SnapshotBuilder(ProfilePackage.Load(copy.Directory), CoreSpecificationSource.OpenDefault()).BuildAsync();

        Assert.Equal(["StructureDefinition-impress-variant.json"], results.Where(r => r.IsStale).Select(r => Path.GetFileName(r.File)));
    }
}
