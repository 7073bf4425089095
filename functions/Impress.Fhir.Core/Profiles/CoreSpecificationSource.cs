using System.Collections.Concurrent;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;

namespace Impress.Fhir.Profiles;

/// <summary>
/// The FHIR R4 core specification shipped by Hl7.Fhir.Specification.Data.R4, as a fast, thread-safe resolver.
/// </summary>
/// <remarks>
/// The SDK's <c>ZipSource</c> scans and re-reads its large XML bundles on each lookup (about 0.2 s per
/// resource), which puts seconds on every cold start. This source reads those bundles once per machine into a
/// <see cref="CoreSpecificationPack"/> (compact JSON with an index), then parses only what is asked for, once.
/// </remarks>
public sealed class CoreSpecificationSource : IAsyncResourceResolver, IResourceResolver
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    private readonly CoreSpecificationPack _pack;
    private readonly ConcurrentDictionary<string, Lazy<Resource?>> _resolved = new(StringComparer.Ordinal);

    public CoreSpecificationSource(CoreSpecificationPack pack) => _pack = pack;

    /// <summary>Opens the pack for the specification beside the running program, building it on first use.</summary>
    public static CoreSpecificationSource OpenDefault() => new(CoreSpecificationPack.OpenOrBuild());

    public Resource? ResolveByCanonicalUri(string uri)
    {
        var key = StripVersion(uri);
        return _resolved.GetOrAdd(key, k => new Lazy<Resource?>(() => Load(k))).Value;
    }

    public Resource? ResolveByUri(string uri) => ResolveByCanonicalUri(uri);

    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => System.Threading.Tasks.Task.FromResult(ResolveByCanonicalUri(uri));

    public Task<Resource?> ResolveByUriAsync(string uri) => System.Threading.Tasks.Task.FromResult(ResolveByUri(uri));

    private Resource? Load(string url)
    {
        var json = _pack.Read(url);
        return json is null ? null : Deserializer.DeserializeResource(Encoding.UTF8.GetString(json));
    }

    private static string StripVersion(string uri)
    {
        var bar = uri.IndexOf('|');
        return bar < 0 ? uri : uri[..bar];
    }
}
