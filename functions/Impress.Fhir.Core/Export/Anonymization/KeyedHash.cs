using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// HMAC-SHA256 under one of the policy's keys, with what it gave lately remembered: every resource of a patient hashes
/// the same references again. Not thread-safe: each <see cref="ResourceAnonymization"/> holds its own.
/// </summary>
internal sealed class KeyedHash(byte[] key)
{
    /// <summary>Enough for the references an export meets again and again; cleared when full rather than grown.</summary>
    private const int RememberedValues = 16_384;

    private readonly HMACSHA256 _hmac = new(key);
    private readonly Dictionary<string, string> _hex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _days = new(StringComparer.Ordinal);

    /// <summary>The HMAC of the UTF-8 of <paramref name="value"/> as 64 lowercase hex digits: also a valid FHIR id.</summary>
    public string Hex(ReadOnlySpan<char> value)
    {
        var remembered = _hex.GetAlternateLookup<ReadOnlySpan<char>>();
        if (remembered.TryGetValue(value, out var known))
        {
            return known;
        }

        Span<byte> hash = stackalloc byte[32];
        Compute(value, hash);
        var hex = Convert.ToHexStringLower(hash);
        Remember(_hex, value.ToString(), hex);
        return hex;
    }

    /// <summary>
    /// A whole number of days in [-50, 50], never 0 (a zero shift would publish the real dates), from the HMAC of the scope.
    /// </summary>
    public int Days(string scope)
    {
        if (_days.TryGetValue(scope, out var known))
        {
            return known;
        }

        Span<byte> hash = stackalloc byte[32];
        Compute(scope, hash);
        var draw = (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) % 100);
        var days = draw < 50 ? draw - 50 : draw - 49;
        Remember(_days, scope, days);
        return days;
    }

    private void Compute(ReadOnlySpan<char> value, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[512] : new byte[length];
        var written = Encoding.UTF8.GetBytes(value, utf8);
        _hmac.TryComputeHash(utf8[..written], hash, out _);
    }

    private static void Remember<T>(Dictionary<string, T> remembered, string key, T value)
    {
        if (remembered.Count >= RememberedValues)
        {
            remembered.Clear();
        }

        remembered[key] = value;
    }
}
