using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// TSO500-sized report bundles (patient, specimen, diagnosis, report, TMB, MSI, 40 variants, with the lab and a
/// sequence), warm, on one core. Every operation is a different patient's report, never validated before: the
/// validator remembers what recurs across reports (codes, genes, answers), as it would in production, and meets
/// each report's own variants for the first time. Times are per resource, so the Op/s column reads as resources
/// per second; the Ratio column is parse-and-validate time over bare parse time.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: InvocationsPerIteration)]
public class ReportValidationBenchmarks
{
    private const int Variants = 40;
    private const int InvocationsPerIteration = 48;

    /// <summary>More distinct reports than the job's warm-up and measured invocations together.</summary>
    private const int DistinctReports = (3 + 15 + 2) * InvocationsPerIteration;

    private static readonly int Resources = SyntheticReports.ResourceCount(Variants);

    private byte[][] _reports = [];
    private int _next;
    private ImpressValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reports = Enumerable.Range(0, DistinctReports)
            .Select(patient => System.Text.Encoding.UTF8.GetBytes(FhirJson.Serialize(SyntheticReports.Create(Variants, patient))))
            .ToArray();
        _next = 0;
        _validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles, MaxDegreeOfParallelism = 1 });
        var warmUp = FhirJson.Serialize(SyntheticReports.Create(Variants, patient: DistinctReports));
        if (!_validator.Validate(FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(warmUp))).IsValid)
        {
            throw new InvalidOperationException("The benchmark reports must be valid.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 48)]
    public object Parse() => FhirJsonReader.Default.Read(NextReport());

    [Benchmark(OperationsPerInvoke = 48)]
    public bool ParseAndValidate() => _validator.Validate(FhirJsonReader.Default.Read(NextReport())).IsValid;

    [GlobalCleanup]
    public void Check()
    {
        if (Resources != 48)
        {
            throw new InvalidOperationException($"OperationsPerInvoke assumes 48 resources; the report has {Resources}.");
        }

        if (_next > _reports.Length)
        {
            throw new InvalidOperationException($"{_next} operations ran over {_reports.Length} distinct reports: some were validated twice.");
        }
    }

    private byte[] NextReport() => _reports[_next++ % _reports.Length];
}
