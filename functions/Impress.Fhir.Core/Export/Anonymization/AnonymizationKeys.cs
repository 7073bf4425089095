using System.Text;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The secrets a policy's methods are keyed with, from configuration (they never live in the repository: the shipped
/// policy leaves them empty). Pseudonyms and date shifts are stable under one set of keys and unlinkable under another.
/// </summary>
/// <param name="CryptoHashKey">The HMAC-SHA256 key of <see cref="AnonymizationMethod.CryptoHash"/>.</param>
/// <param name="DateShiftKey">The key the number of days of <see cref="AnonymizationMethod.DateShift"/> is derived from.</param>
/// <param name="EncryptKey">The AES key of <see cref="AnonymizationMethod.Encrypt"/>: 16, 24 or 32 bytes of UTF-8.</param>
public sealed record AnonymizationKeys(string? CryptoHashKey, string? DateShiftKey, string? EncryptKey)
{
    /// <summary>Says which keys are set, never what they are: records print their members, and logs must not hold keys.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"CryptoHashKey = {Describe(CryptoHashKey)}, DateShiftKey = {Describe(DateShiftKey)}, EncryptKey = {Describe(EncryptKey)}");
        return true;
    }

    internal static string Describe(string? key) => string.IsNullOrEmpty(key) ? "(empty)" : "(set)";
}
