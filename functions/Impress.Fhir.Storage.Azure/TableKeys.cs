using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Impress.Fhir.Storage.Azure;

/// <summary>
/// Partition and row keys. Table Storage forbids '/', '\', '#', '?' and control characters in keys, and our keys
/// join several parts with '|'; each part is escaped as %XX for those and for '%' and '|', so distinct parts make
/// distinct keys, and all the keys that start with a given part followed by '|' sort between that prefix and the
/// prefix ending in '}' (the character after '|'). What a row is about is kept in its properties too.
/// </summary>
internal static class TableKeys
{
    public const char Separator = '|';

    public static string Join(params string[] parts) => string.Join(Separator, parts.Select(Escape));

    /// <summary>The range [low, high) of row keys that begin with these parts.</summary>
    public static (string Low, string High) PrefixRange(params string[] parts)
    {
        var prefix = Join(parts) + Separator;
        return (prefix, prefix[..^1] + (char)(Separator + 1));
    }

    /// <summary>Version row keys count down, so that a partition lists a resource's newest version first.</summary>
    public static string VersionRow(long version) => (long.MaxValue - version).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>One of 256 partitions, by hash, for rows looked up only by their exact key.</summary>
    public static string Bucket(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 1);

    private static string Escape(string part)
    {
        var escaped = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            if (c is '%' or '/' or '\\' or '#' or '?' or Separator || char.IsControl(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
