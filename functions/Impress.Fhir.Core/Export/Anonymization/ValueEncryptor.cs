using System.Security.Cryptography;
using System.Text;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// AES-CBC with PKCS#7 padding under the policy's key, a fresh random IV for every value prepended to the ciphertext,
/// all in base64: the same value encrypts differently each time, and the key holder can still read it back. Not
/// thread-safe: each <see cref="ResourceAnonymization"/> holds its own.
/// </summary>
internal sealed class ValueEncryptor(byte[] key)
{
    private const int IvBytes = 16;

    private readonly Aes _aes = CreateAes(key);

    public string Encrypt(string value)
    {
        Span<byte> iv = stackalloc byte[IvBytes];
        RandomNumberGenerator.Fill(iv);
        var plaintext = Encoding.UTF8.GetBytes(value);
        var output = new byte[IvBytes + _aes.GetCiphertextLengthCbc(plaintext.Length)];
        iv.CopyTo(output);
        _aes.EncryptCbc(plaintext, iv, output.AsSpan(IvBytes));
        return Convert.ToBase64String(output);
    }

    /// <summary>Whether a key of this many bytes is one AES takes.</summary>
    public static bool IsValidKeyLength(int bytes) => bytes is 16 or 24 or 32;

    private static Aes CreateAes(byte[] key)
    {
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }
}
