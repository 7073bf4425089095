namespace Impress.Fhir.Testing;

/// <summary>Where the repository's files are, found from the running test or benchmark.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding Impress.Fhir.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The IMPRESS package in the working tree (the one CI checks).</summary>
    public static string Profiles => Path.Combine(Root, "profiles");

    public static string Examples => Path.Combine(Profiles, "examples");

    public static string ExampleReportBundle => Path.Combine(Examples, "Bundle-impress-example-report.json");

    private static string FindRoot() =>
        FindAbove(AppContext.BaseDirectory) ?? FindAbove(Directory.GetCurrentDirectory())
        ?? throw new DirectoryNotFoundException($"No Impress.Fhir.sln above {AppContext.BaseDirectory} or the current directory.");

    private static string? FindAbove(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Impress.Fhir.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
