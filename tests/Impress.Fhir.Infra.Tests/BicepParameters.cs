using System.Text.Json;

namespace Impress.Fhir.Infra.Tests;

/// <summary>
/// A parameters file written for one test and built with <c>bicep build-params</c>: against infra/main.bicep to see
/// what its parameter types accept, or without a template (<c>using none</c>) to evaluate the modules' functions.
/// </summary>
public static class BicepParameters
{
    /// <summary>Stands for the repository root in a file's contents; written as a path relative to the file, the only kind Bicep takes.</summary>
    public const string Root = "{root}";

    /// <summary>Writes a parameters file with these contents to a folder of its own and builds it.</summary>
    public static async Task<BicepResult> BuildAsync(string contents)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "bicep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var root = Path.GetRelativePath(directory, Bicep.RepositoryRoot).Replace('\\', '/');
            var file = Path.Combine(directory, "test.bicepparam");
            await File.WriteAllTextAsync(file, contents.Replace(Root, root, StringComparison.Ordinal));
            return await Bicep.RunAsync("build-params", file, "--stdout");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The parameter values of a build that succeeded without diagnostics.</summary>
    public static JsonElement Values(BicepResult build)
    {
        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, $"bicep build-params: {build.Diagnostics}");
        using var result = JsonDocument.Parse(build.Output);
        using var parameters = JsonDocument.Parse(result.RootElement.GetProperty("parametersJson").GetString()!);
        return parameters.RootElement.GetProperty("parameters").Clone();
    }

    /// <summary>The parameter values of an environment's parameters file (infra/environments/&lt;environment&gt;.bicepparam).</summary>
    public static async Task<JsonElement> OfEnvironmentAsync(string environment) =>
        Values(await Bicep.RunAsync("build-params", $"infra/environments/{environment}.bicepparam", "--stdout"));

    /// <summary>
    /// The app settings ({ name, value } items) an expression over a module's exported functions evaluates to; the
    /// names must be distinct.
    /// </summary>
    public static async Task<Dictionary<string, string>> EvaluateSettingsAsync(string module, string function, string expression)
    {
        var values = Values(await BuildAsync($$"""
            using none
            import { {{function}} } from '{{Root}}/{{module}}'

            param settings = {{expression}}
            """));

        var settings = values.GetProperty("settings").GetProperty("value").EnumerateArray()
            .Select(s => (Name: s.GetProperty("name").GetString()!, Value: s.GetProperty("value").GetString()!))
            .ToList();
        Assert.Equal(settings.Count, settings.Select(s => s.Name).Distinct().Count());
        return settings.ToDictionary(s => s.Name, s => s.Value);
    }

    /// <summary>A JSON value as a Bicep expression, so a file's parameter values can be handed to a function.</summary>
    public static string AsBicep(JsonElement value)
    {
        var json = JsonSerializer.Serialize(value)
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal);
        return $"json('{json}')";
    }
}
