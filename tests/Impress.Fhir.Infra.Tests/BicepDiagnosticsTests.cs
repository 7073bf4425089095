using System.Text.Json;

namespace Impress.Fhir.Infra.Tests;

/// <summary>The infrastructure compiles, and neither the compiler nor the linter (default rules) has anything to say.</summary>
public sealed class BicepDiagnosticsTests(CompiledMain main) : IClassFixture<CompiledMain>
{
    [Fact]
    public void Main_builds_without_warnings_or_errors()
    {
        Assert.True(main.Build.ExitCode == 0, $"bicep build exited {main.Build.ExitCode}: {main.Build.Errors}");
        Assert.True(main.Build.Errors.Trim().Length == 0, $"bicep build printed diagnostics: {main.Build.Errors}");
        Assert.StartsWith("{", main.Build.Output.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_and_its_modules_pass_the_linter()
    {
        var lint = await Bicep.RunAsync("lint", CompiledMain.MainFile);

        Assert.True(lint.ExitCode == 0, $"bicep lint exited {lint.ExitCode}: {lint.Diagnostics}");
        Assert.True(lint.Diagnostics.Length == 0, $"bicep lint reported: {lint.Diagnostics}");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_environment_parameters_file_builds_without_warnings(string environment)
    {
        var build = await Bicep.RunAsync("build-params", $"infra/environments/{environment}.bicepparam", "--stdout");

        Assert.True(build.ExitCode == 0, $"bicep build-params exited {build.ExitCode}: {build.Diagnostics}");
        Assert.True(build.Errors.Trim().Length == 0, $"bicep build-params printed diagnostics: {build.Errors}");

        using var result = JsonDocument.Parse(build.Output);
        using var parameters = JsonDocument.Parse(result.RootElement.GetProperty("parametersJson").GetString()!);
        var values = parameters.RootElement.GetProperty("parameters");
        Assert.Equal(environment, values.GetProperty("environmentName").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Production_has_purge_protection_and_zone_redundant_storage()
    {
        var build = await Bicep.RunAsync("build-params", "infra/environments/prod.bicepparam", "--stdout");
        Assert.True(build.ExitCode == 0, build.Diagnostics);

        using var result = JsonDocument.Parse(build.Output);
        using var parameters = JsonDocument.Parse(result.RootElement.GetProperty("parametersJson").GetString()!);
        var values = parameters.RootElement.GetProperty("parameters");
        Assert.True(values.GetProperty("enablePurgeProtection").GetProperty("value").GetBoolean());
        Assert.Equal("Standard_ZRS", values.GetProperty("storageSku").GetProperty("value").GetString());
    }

    public static TheoryData<string> BicepFiles()
    {
        var infra = Bicep.PathOf("infra");
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(infra, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(Bicep.RepositoryRoot, file).Replace('\\', '/'));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Each_file_is_formatted_as_bicep_format_writes_it(string file)
    {
        var format = await Bicep.RunAsync("format", file, "--stdout");

        Assert.True(format.ExitCode == 0, $"bicep format exited {format.ExitCode}: {format.Diagnostics}");
        Assert.True(format.Output == await File.ReadAllTextAsync(Bicep.PathOf(file)), $"{file} is not formatted; run bicep format {file}.");
    }
}
