namespace Impress.Fhir.Testing;

/// <summary>A throw-away copy of the IMPRESS package's conformance files, for tests that change one.</summary>
public sealed class TemporaryPackage : IDisposable
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("impress-profiles");

    public TemporaryPackage()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(RepositoryPaths.Profiles, "*.json"))
        {
            File.Copy(file, Path.Combine(_directory.FullName, Path.GetFileName(file)));
        }
    }

    public string Directory => _directory.FullName;

    public string PathOf(string fileName) => Path.Combine(_directory.FullName, fileName);

    public void Dispose() => _directory.Delete(recursive: true);
}
