using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;

namespace Impress.Fhir.Profiles;

/// <summary>
/// Resolves conformance resources the IMPRESS way: our package first, then the FHIR core specification.
/// Thread-safe; resolved resources are parsed once and shared.
/// </summary>
public static class ConformanceResolver
{
    public static CachedResolver Create(ProfilePackage package, CoreSpecificationSource core) =>
        new(new MultiResolver(package.CreateSource(), core));

    /// <summary>Resolves a canonical from synchronous code; our sources complete synchronously, so this never blocks on I/O waits.</summary>
    public static Resource? Resolve(this IAsyncResourceResolver resolver, string canonical) =>
        TaskHelper.Await(() => resolver.TryResolveByCanonicalUriAsync(canonical)).Value;
}
