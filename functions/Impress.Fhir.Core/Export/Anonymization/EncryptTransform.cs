namespace Impress.Fhir.Export.Anonymization;

/// <summary>encrypt: AES-CBC under the policy's key, a random IV in front, base64.</summary>
internal sealed class EncryptTransform : TextReplacementTransform
{
    protected override string MethodName => "encrypt";

    protected override string Transform(ElementNode node, string value, ResourceAnonymization run) => run.Encrypt(value);
}
