using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// `impress validate` of the example report: process start to exit, as a user runs the installed program. The setup
/// publishes impress (as the README says to install it, precompiled) and builds the core specification pack, which
/// happens once per machine, on the first run ever.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class ColdStartBenchmarks
{
    private readonly string _published = Path.Combine(Path.GetTempPath(), "impress-cold-start-" + Environment.ProcessId);

    [GlobalSetup]
    public void Publish()
    {
        var project = Path.Combine(RepositoryPaths.Root, "functions", "Impress.Fhir.Cli", "Impress.Fhir.Cli.csproj");
        var exitCode = Run("dotnet", ["publish", project, "-c", "Release", "-o", _published, "--nologo"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of impress failed ({exitCode}).");
        }
    }

    [Benchmark]
    public int ImpressValidateExampleReport() =>
        Run(Path.Combine(_published, "impress"), ["validate", RepositoryPaths.ExampleReportBundle]) == 0
            ? 0
            : throw new InvalidOperationException("impress validate failed on the example report.");

    [GlobalCleanup]
    public void Remove() => Directory.Delete(_published, recursive: true);

    private static int Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        _ = output.Result + errors.Result;
        return process.ExitCode;
    }
}
