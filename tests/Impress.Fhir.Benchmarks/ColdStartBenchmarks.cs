using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// Cold starts of the installed program, as a user meets them: `impress validate` of the example report (process
/// start to exit), and `impress serve` on an empty data directory (process start to the first answer from
/// /fhir/metadata). The setup publishes impress (as the README says to install it, precompiled); the core
/// specification pack is built on the first run ever, before measuring.
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

    [Benchmark]
    public async Task<int> ImpressServeUntilMetadataAnswers()
    {
        var data = Path.Combine(_published, "data-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(_published, "impress"), ["serve", "--urls", $"http://127.0.0.1:{port}", "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        using var http = new HttpClient();
        try
        {
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/fhir/metadata");
                    if (response.IsSuccessStatusCode)
                    {
                        return (int)response.StatusCode;
                    }
                }
                catch (HttpRequestException) when (!server.HasExited)
                {
                }

                await Task.Delay(10);
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [GlobalCleanup]
    public void Remove() => Directory.Delete(_published, recursive: true);

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

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
