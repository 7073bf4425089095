using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Benchmarks;

/// <summary>
/// De-identification with the shipped registry policy, on one core, warm: each operation reads one stored resource's
/// JSON, anonymizes it and writes it as UTF-8 JSON again, as the de-identified $export does for every NDJSON line. The
/// store validated every resource when it was written, so the export reads them back without validating again;
/// <see cref="StrictParseAnonymizeWrite"/> shows the same with <see cref="FhirJsonReader"/>, which validates, and
/// <see cref="ParseAndWrite"/> the floor any export pays without anonymizing. The resources are the example report's
/// (patient, specimen, diagnosis, sequence, four variants, TMB, MSI, report, hospital) as the store holds them, for many
/// patients with ids of their own, so pseudonyms are computed as an export's are. Times are per resource: the Op/s
/// column reads as resources per second.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AnonymizationBenchmarks
{
    private const int Patients = 2_000;
    private const int ResourcesPerInvoke = 120;

    private static readonly FhirJsonDeserializer StoredResources = new(new DeserializerSettings { Validator = null });
    private static readonly FhirJsonSerializer Serializer = new();

    private readonly ArrayBufferWriter<byte> _line = new(64 * 1024);
    private (byte[] Json, AnonymizationSubject Subject)[] _resources = [];
    private Anonymizer _anonymizer = null!;
    private Utf8JsonWriter _writer = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _resources = Enumerable.Range(0, Patients).SelectMany(StoredReport).ToArray();
        _anonymizer = new Anonymizer(AnonymizationPolicy.Registry.WithKeys(new AnonymizationKeys("benchmark-crypto-hash-key", "benchmark-date-shift-key", null)));
        _writer = new Utf8JsonWriter(_line);
        _next = 0;
        Console.WriteLine($"// {_resources.Length:N0} resources of {Patients:N0} patients, {_resources.Average(resource => resource.Json.Length):N0} bytes of JSON on average.");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ResourcesPerInvoke)]
    public long ParseAndWrite()
    {
        long written = 0;
        for (var i = 0; i < ResourcesPerInvoke; i++)
        {
            written += Write(Read(Next().Json));
        }

        return written;
    }

    [Benchmark(OperationsPerInvoke = ResourcesPerInvoke)]
    public long ParseAnonymizeWrite()
    {
        long written = 0;
        for (var i = 0; i < ResourcesPerInvoke; i++)
        {
            var (json, subject) = Next();
            written += Write(_anonymizer.Anonymize(Read(json), subject));
        }

        return written;
    }

    [Benchmark(OperationsPerInvoke = ResourcesPerInvoke)]
    public long StrictParseAnonymizeWrite()
    {
        long written = 0;
        for (var i = 0; i < ResourcesPerInvoke; i++)
        {
            var (json, subject) = Next();
            written += Write(_anonymizer.Anonymize(FhirJsonReader.Default.Read(json).Resource, subject));
        }

        return written;
    }

    private static Resource Read(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        return StoredResources.DeserializeResource(ref reader);
    }

    /// <summary>Writes the resource as one NDJSON line would be, into a buffer that is reused.</summary>
    private int Write(Resource resource)
    {
        _line.ResetWrittenCount();
        _writer.Reset(_line);
        Serializer.Serialize(resource, _writer);
        _writer.Flush();
        return _line.WrittenCount;
    }

    private (byte[] Json, AnonymizationSubject Subject) Next() => _resources[_next++ % _resources.Length];

    /// <summary>
    /// Patient <paramref name="n"/>'s example report as stored: ids of its own (the hospital's shared), references as
    /// "Type/id" instead of the bundle's fullUrls, each with the subject the export job works out for it.
    /// </summary>
    private static IEnumerable<(byte[] Json, AnonymizationSubject Subject)> StoredReport(int n)
    {
        var resources = ExampleReports.OfPatient(n).Entry.ToDictionary(entry => entry.FullUrl!, entry => entry.Resource!);
        foreach (var (fullUrl, resource) in resources)
        {
            resource.Id = $"{(resource is Organization ? "" : $"p{n}-")}{fullUrl["urn:uuid:".Length..]}";
        }

        var subject = AnonymizationSubject.Of(resources.Values.OfType<Patient>().Single());
        return resources.Values.Select(resource => (Stored(resource, resources), resource is Organization ? AnonymizationSubject.None : subject)).ToList();
    }

    private static byte[] Stored(Resource resource, Dictionary<string, Resource> resources)
    {
        var json = FhirJson.Serialize(resource);
        foreach (var (fullUrl, target) in resources)
        {
            json = json.Replace($"\"{fullUrl}\"", $"\"{target.TypeName}/{target.Id}\"", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(json);
    }
}
