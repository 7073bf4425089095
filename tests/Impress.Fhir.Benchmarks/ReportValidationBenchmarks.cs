using BenchmarkDotNet.Attributes;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// A TSO500-sized report bundle (patient, specimen, diagnosis, report, TMB, MSI, 40 variants, with the lab and a
/// sequence), warm, on one core. Times are per resource, so the Op/s column reads as resources per second; the
/// Ratio column is validate time over bare parse time.
/// </summary>
[MemoryDiagnoser]
public class ReportValidationBenchmarks
{
    private const int Variants = 40;
    private static readonly int Resources = SyntheticReports.ResourceCount(Variants);

    private byte[] _json = [];
    private ImpressValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(Variants)));
        _validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles, MaxDegreeOfParallelism = 1 });
        if (!_validator.Validate(FhirJsonReader.Default.Read(_json)).IsValid)
        {
            throw new InvalidOperationException("The benchmark report must be valid.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 48)]
    public object Parse() => FhirJsonReader.Default.Read(_json);

    [Benchmark(OperationsPerInvoke = 48)]
    public bool ParseAndValidate() => _validator.Validate(FhirJsonReader.Default.Read(_json)).IsValid;

    [GlobalCleanup]
    public void Check()
    {
        if (Resources != 48)
        {
            throw new InvalidOperationException($"OperationsPerInvoke assumes 48 resources; the report has {Resources}.");
        }
    }
}
