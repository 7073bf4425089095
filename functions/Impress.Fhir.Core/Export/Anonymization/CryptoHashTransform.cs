using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// cryptoHash: HMAC-SHA256 under the policy's key, in hex. In a literal reference only the id is hashed, so
/// "Patient/123" becomes "Patient/" and the hash that <c>Resource.id</c> gives 123, and references still resolve.
/// </summary>
internal sealed class CryptoHashTransform : TextReplacementTransform
{
    protected override string MethodName => "cryptoHash";

    protected override string Transform(ElementNode node, string value, ResourceAnonymization run) =>
        IsReference(node) ? LiteralReference.ReplaceId(value, run.Pseudonyms) : run.Pseudonyms.Hex(value);

    /// <summary>Reference.reference, and a Bundle entry's fullUrl, which references inside the Bundle resolve against.</summary>
    private static bool IsReference(ElementNode node) => node.Name switch
    {
        "reference" => node.Parent?.Value is ResourceReference,
        "fullUrl" => node.Parent?.Value is Bundle.EntryComponent,
        _ => false,
    };
}
