using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Impress.Fhir.Benchmarks;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project tests/Impress.Fhir.Benchmarks -- --filter '*'
    /// Benchmarks run in this process (no generated project to build), one job each as the classes declare.
    /// "load ..." instead runs a load run against a running server (see <see cref="Load.LoadRun"/>), "publish ..." a
    /// publishing run to a WireMock EHR (see <see cref="Load.PublishRun"/>), "notify ..." a subscription notification
    /// run to a WireMock endpoint (see <see cref="Load.NotifyRun"/>), "export ..." a Bulk Data export run (see <see cref="Load.ExportRun"/>).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["load", ..])
        {
            return await Load.LoadRun.MainAsync(args[1..]);
        }

        if (args is ["publish", ..])
        {
            return await Load.PublishRun.MainAsync(args[1..]);
        }

        if (args is ["notify", ..])
        {
            return await Load.NotifyRun.MainAsync(args[1..]);
        }

        if (args is ["export", ..])
        {
            return await Load.ExportRun.MainAsync(args[1..]);
        }

        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
