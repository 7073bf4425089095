using System.Text;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>The policy's keys as the algorithms take them, each checked to be there when a rule needs it.</summary>
internal sealed record KeyMaterial(byte[]? CryptoHash, byte[]? DateShift, byte[]? Encrypt)
{
    public static KeyMaterial For(AnonymizationPolicy policy)
    {
        var parameters = policy.Parameters;
        var encrypt = Required(policy, AnonymizationMethod.Encrypt, "encryptKey", parameters.EncryptKey);
        if (encrypt is not null && !ValueEncryptor.IsValidKeyLength(encrypt.Length))
        {
            throw new AnonymizationPolicyException("parameters.encryptKey",
                $"parameters.encryptKey must be an AES key of 128, 192 or 256 bits: 16, 24 or 32 bytes of UTF-8, not {encrypt.Length}.");
        }

        return new KeyMaterial(
            Required(policy, AnonymizationMethod.CryptoHash, "cryptoHashKey", parameters.CryptoHashKey),
            Required(policy, AnonymizationMethod.DateShift, "dateShiftKey", parameters.DateShiftKey),
            encrypt);
    }

    /// <summary>The key's bytes when a rule uses the method (null when none does), or the reason the policy cannot run.</summary>
    private static byte[]? Required(AnonymizationPolicy policy, AnonymizationMethod method, string parameter, string? key)
    {
        if (policy.Rules.FirstOrDefault(rule => rule.Method == method) is not { } rule)
        {
            return null;
        }

        return string.IsNullOrEmpty(key)
            ? throw new AnonymizationPolicyException($"parameters.{parameter}", $"parameters.{parameter} is required by {rule}.")
            : Encoding.UTF8.GetBytes(key);
    }
}
