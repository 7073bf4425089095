namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A policy that cannot be used as written: malformed, unknown or misplaced settings, a path that is not FHIRPath, a key
/// a method needs and the policy lacks. The message starts with the element at fault, e.g. "fhirPathRules[2].method".
/// </summary>
public sealed class AnonymizationPolicyException : Exception
{
    public AnonymizationPolicyException(string element, string message, Exception? innerException = null)
        : base(message, innerException) => Element = element;

    /// <summary>Where in the policy the fault is, e.g. "fhirPathRules[2].path" or "parameters.cryptoHashKey".</summary>
    public string Element { get; }
}
