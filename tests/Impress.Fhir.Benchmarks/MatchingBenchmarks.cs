using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// Matching, warm. <see cref="OneReport"/>: the example report bundle (already parsed) read into a profile and
/// matched against the example catalog, every arm explained and ranked, as $match and ingestion do.
/// <see cref="FullRematch"/>: 30,000 synthetic TSO500-like patients (40 variants each) decided against 300 synthetic
/// arms on every core, as a re-match after a catalog change does once the patients are read.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MatchingBenchmarks
{
    public const int Patients = 30_000;
    public const int Arms = 300;

    private Bundle _report = null!;
    private PatientProfileReader _reader = null!;
    private Matcher _example = null!;
    private Matcher _synthetic = null!;
    private IReadOnlyList<PatientProfile> _population = [];

    [GlobalSetup]
    public void Setup()
    {
        var validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles });
        _reader = new PatientProfileReader(validator.Panel);
        _report = (Bundle)FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource;
        _example = new Matcher(CatalogFile.Read(Path.Combine(RepositoryPaths.Profiles, "catalog", "example-catalog.json")));
        _synthetic = new Matcher(SyntheticMatching.Catalog(Arms));
        _population = SyntheticMatching.Patients(Patients);
        var (matched, _) = Rematch();
        Console.WriteLine($"// Full re-match: {matched:N0} matches among {Patients:N0} patients x {Arms} arms.");
    }

    [Benchmark]
    public IReadOnlyList<ArmMatch> OneReport() => _example.Match(_reader.FromBundle(_report, new DateOnly(2026, 12, 1))[0]);

    [Benchmark]
    public int FullRematch() => Rematch().Matched;

    private (int Matched, int NeedsMoreData) Rematch()
    {
        var matched = 0;
        var needsMoreData = 0;
        Parallel.For(0, _population.Count, () => (0, 0, new MatchResult[_synthetic.ArmCount]), (i, _, local) =>
        {
            _synthetic.Decide(_synthetic.Prepare(_population[i]), local.Item3);
            foreach (var result in local.Item3)
            {
                if (result == MatchResult.Matched)
                {
                    local.Item1++;
                }
                else if (result == MatchResult.NeedsMoreData)
                {
                    local.Item2++;
                }
            }

            return local;
        }, local =>
        {
            Interlocked.Add(ref matched, local.Item1);
            Interlocked.Add(ref needsMoreData, local.Item2);
        });
        return (matched, needsMoreData);
    }
}
