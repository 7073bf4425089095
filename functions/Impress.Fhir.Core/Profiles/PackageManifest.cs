using System.Text.Json;
using System.Text.Json.Serialization;

namespace Impress.Fhir.Profiles;

/// <summary>The fields of a FHIR NPM package's package.json that the server relies on.</summary>
public sealed record PackageManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("canonical")] string Canonical,
    [property: JsonPropertyName("fhirVersions")] IReadOnlyList<string> FhirVersions,
    [property: JsonPropertyName("dependencies")] IReadOnlyDictionary<string, string> Dependencies)
{
    public static PackageManifest Read(string path)
    {
        using var stream = File.OpenRead(path);
        var manifest = JsonSerializer.Deserialize<PackageManifest>(stream)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (string.IsNullOrEmpty(manifest.Name) || string.IsNullOrEmpty(manifest.Canonical))
        {
            throw new InvalidDataException($"{path} must name the package and its canonical url.");
        }

        return manifest with
        {
            FhirVersions = manifest.FhirVersions ?? [],
            Dependencies = manifest.Dependencies ?? new Dictionary<string, string>(),
        };
    }
}
