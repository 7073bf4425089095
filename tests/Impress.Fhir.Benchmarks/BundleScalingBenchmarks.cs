using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// Parse and validate bundles of 500, 5,000 and 20,000 entries with every core the machine has: cost must grow
/// linearly with the entries (compare the means across sizes). Each iteration validates a bundle of other patients'
/// variants than the iterations before it. ReportValidationBenchmarks gives the one-core figure.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: Iterations)]
public class BundleScalingBenchmarks
{
    private const int Iterations = 3;

    private byte[][] _bundles = [];
    private byte[] _json = [];
    private int _next;
    private ImpressValidator _validator = null!;

    [Params(500, 5_000, 20_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var variants = Entries - SyntheticReports.ResourceCount(0);
        _bundles = Enumerable.Range(0, 1 + Iterations)
            .Select(seed => System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(variants, patient: seed))))
            .ToArray();
        _next = 0;
        _validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles, MaxDegreeOfParallelism = Environment.ProcessorCount });

        // Warm the parser and validator up to their optimised code on a bundle of other patients' variants, so the
        // smallest size is not measured while the runtime is still compiling.
        var warmUp = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(2_000, patient: 1_000)));
        for (var i = 0; i < 3; i++)
        {
            _validator.Validate(FhirJsonReader.Default.Read(warmUp));
        }
    }

    [IterationSetup]
    public void NextBundle() => _json = _bundles[_next++ % _bundles.Length];

    [Benchmark]
    public bool ParseAndValidate() => _validator.Validate(FhirJsonReader.Default.Read(_json)).IsValid;
}
