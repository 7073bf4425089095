using Impress.Fhir.Testing;

namespace Impress.Fhir.Cli.Tests;

public sealed class ProfilesCommandTests
{
    [Fact]
    public void Snapshot_check_passes_on_the_committed_package()
    {
        var run = CliRun.Of("profiles", "snapshot", "--check", "--profiles", RepositoryPaths.Profiles);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.DoesNotContain("STALE", run.Output);
    }

    [Fact]
    public void Snapshot_writes_a_missing_snapshot_and_check_then_passes()
    {
        using var copy = new TemporaryPackage();
        var patient = copy.PathOf("StructureDefinition-impress-patient.json");
        var json = File.ReadAllText(patient);
        var withoutSnapshot = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.True(withoutSnapshot.Remove("snapshot"));
        File.WriteAllText(patient, withoutSnapshot.ToJsonString());

        var check = CliRun.Of("profiles", "snapshot", "--check", "--profiles", copy.Directory);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("StructureDefinition-impress-patient.json: STALE", check.Output);

        Assert.Equal(0, CliRun.Of("profiles", "snapshot", "--profiles", copy.Directory).ExitCode);
        Assert.Equal(json, File.ReadAllText(patient));
        Assert.Equal(0, CliRun.Of("profiles", "snapshot", "--check", "--profiles", copy.Directory).ExitCode);
    }
}
