using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace Impress.Fhir.Profiles;

/// <summary>
/// Resolves conformance resources the IMPRESS way: our package first, then the FHIR core specification.
/// Thread-safe; resolved resources are parsed once and shared.
/// </summary>
public static class ConformanceResolver
{
    public static CachedResolver Create(ProfilePackage package, CoreSpecificationSource core) =>
        new(new MultiResolver(package.CreateSource(), core));

    /// <summary>
    /// Resolves a canonical from synchronous code. Our sources complete synchronously, so this waits for nothing
    /// (and, unlike the SDK's TaskHelper.Await, does not hop to the thread pool to do so).
    /// </summary>
    public static Resource? Resolve(this IAsyncResourceResolver resolver, string canonical) =>
        resolver.TryResolveByCanonicalUriAsync(canonical).ConfigureAwait(false).GetAwaiter().GetResult().Value;
}
