using System.Security.Cryptography;
using System.Text;

namespace Impress.Fhir.Fhir;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same namespace and name give the same UUID, so a document built
/// twice from the same input is the same document, down to its urn:uuid fullUrls.
/// </summary>
public static class NameBasedGuid
{
    public static Guid Create(Guid @namespace, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    public static string Urn(Guid @namespace, string name) => "urn:uuid:" + Create(@namespace, name).ToString("D");
}
