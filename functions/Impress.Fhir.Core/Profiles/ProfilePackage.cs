using Hl7.Fhir.Specification.Source;

namespace Impress.Fhir.Profiles;

/// <summary>
/// The IMPRESS FHIR package: a folder laid out as a FHIR NPM package (package.json, StructureDefinitions with
/// snapshots, ValueSets, CodeSystems; example instances under examples/).
/// </summary>
public sealed class ProfilePackage
{
    /// <summary>The package name every IMPRESS package carries in its package.json.</summary>
    public const string PackageName = "no.impress.fhir";

    private ProfilePackage(string directory, PackageManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>The package folder (the one holding package.json).</summary>
    public string Directory { get; }

    public PackageManifest Manifest { get; }

    /// <summary>The folder of example instances.</summary>
    public string ExamplesDirectory => Path.Combine(Directory, "examples");

    /// <summary>The folder of cohort catalogs as the trial office writes them (catalog/*.json).</summary>
    public string CatalogDirectory => Path.Combine(Directory, "catalog");

    /// <summary>The example catalog that ships with the package.</summary>
    public string ExampleCatalog => Path.Combine(CatalogDirectory, "example-catalog.json");

    /// <summary>
    /// Loads the package from <paramref name="directory"/>, or else from <c>IMPRESS_PROFILES</c>, or else from the
    /// copy that travels beside the program.
    /// </summary>
    public static ProfilePackage Load(string? directory = null)
    {
        directory ??= Environment.GetEnvironmentVariable("IMPRESS_PROFILES");
        if (string.IsNullOrWhiteSpace(directory))
        {
            directory = Path.Combine(AppContext.BaseDirectory, "profiles");
        }

        var manifestPath = Path.Combine(directory, "package.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"No FHIR package (package.json) in {directory}.", manifestPath);
        }

        var manifest = PackageManifest.Read(manifestPath);
        if (manifest.Name != PackageName)
        {
            throw new InvalidDataException($"{manifestPath} is package '{manifest.Name}', not {PackageName}.");
        }

        return new ProfilePackage(Path.GetFullPath(directory), manifest);
    }

    /// <summary>The package's conformance resource files (not its examples).</summary>
    public IEnumerable<string> ResourceFiles(string prefix = "") =>
        System.IO.Directory.EnumerateFiles(Directory, prefix + "*.json")
            .Where(f => !Path.GetFileName(f).Equals("package.json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    /// <summary>The StructureDefinition files of the package.</summary>
    public IEnumerable<string> StructureDefinitionFiles => ResourceFiles("StructureDefinition-");

    /// <summary>The example instance files of the package.</summary>
    public IEnumerable<string> ExampleFiles =>
        System.IO.Directory.Exists(ExamplesDirectory)
            ? System.IO.Directory.EnumerateFiles(ExamplesDirectory, "*.json").Order(StringComparer.Ordinal)
            : [];

    /// <summary>A resolver over the package's conformance resources, using the SDK's own directory source.</summary>
    public DirectorySource CreateSource() =>
        new(Directory, new DirectorySourceSettings
        {
            IncludeSubDirectories = false,
            Excludes = ["package.json"],
        });
}
