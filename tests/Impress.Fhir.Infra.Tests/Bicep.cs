using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Impress.Fhir.Infra.Tests;

/// <summary>What one run of the Bicep CLI printed.</summary>
public sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    /// <summary>The diagnostics printed on either stream, for assertion messages.</summary>
    public string Diagnostics => (Output + Errors).Trim();
}

/// <summary>The Bicep CLI of the Azure.Bicep.CommandLine package, run in the repository's root.</summary>
public static class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> Executable = new(FindExecutable);

    /// <summary>The folder holding Impress.Fhir.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A path below the repository root, given with forward slashes.</summary>
    public static string PathOf(string relative) => Path.Combine(RepositoryRoot, relative.Replace('/', Path.DirectorySeparatorChar));

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await output, await errors);
    }

    private static string FindExecutable()
    {
        var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException($"The bicep executable of the Azure.Bicep.CommandLine package is not at '{path}'; restore the test project.");
        }

        // A package extracted by a tool that drops the file mode leaves the program not executable.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }

        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Impress.Fhir.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Impress.Fhir.sln above {AppContext.BaseDirectory}.");
    }
}
