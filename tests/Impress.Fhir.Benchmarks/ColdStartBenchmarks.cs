using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// `impress validate` of the example report: process start to exit, as a user runs it. The core specification
/// pack is built before measuring (that happens once per machine, on the first run ever).
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class ColdStartBenchmarks
{
    private static readonly string Impress = Path.Combine(AppContext.BaseDirectory, "impress.dll");

    [Benchmark]
    public int ImpressValidateExampleReport()
    {
        var start = new ProcessStartInfo("dotnet", [Impress, "validate", RepositoryPaths.ExampleReportBundle])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : throw new InvalidOperationException("impress validate failed on the example report.");
    }
}
