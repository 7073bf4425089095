using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// Parse and validate bundles of 500, 5,000 and 20,000 entries with every core the machine has: cost must grow
/// linearly with the entries (compare the means across sizes). ReportValidationBenchmarks gives the one-core figure.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class BundleScalingBenchmarks
{
    private byte[] _json = [];
    private ImpressValidator _validator = null!;

    [Params(500, 5_000, 20_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var fixedEntries = SyntheticReports.ResourceCount(0);
        _json = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(Entries - fixedEntries)));
        _validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles, MaxDegreeOfParallelism = Environment.ProcessorCount });
        _validator.Validate(SyntheticReports.Create(40));
    }

    [Benchmark]
    public bool ParseAndValidate() => _validator.Validate(FhirJsonReader.Default.Read(_json)).IsValid;
}
