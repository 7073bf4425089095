using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation;

/// <summary>A resource under validation: a bundle entry's resource, or the instance itself when it is not a Bundle.</summary>
public sealed record ValidationEntry(Resource Resource, int? Index, string? FullUrl)
{
    /// <summary>The FHIRPath of the resource from the root of the validated instance.</summary>
    public string Path { get; } = Index is { } i ? $"Bundle.entry[{i}].resource" : Resource.TypeName;

    /// <summary>The FHIRPath of an element given relative to this resource ("identifier[0].value").</summary>
    public string PathOf(string relative) => relative.Length == 0 ? Path : $"{Path}.{relative}";
}
