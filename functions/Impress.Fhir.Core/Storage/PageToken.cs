using System.Buffers.Text;
using System.Text;

namespace Impress.Fhir.Storage;

/// <summary>
/// The continuation tokens stores hand out: where the next page starts, opaque to clients (base64url), and
/// recognisable, so that a token the store never issued is refused rather than read as a position.
/// </summary>
public static class PageToken
{
    private const string Prefix = "impress-page:";

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + position));

    /// <exception cref="FormatException">The token is not one a store issued.</exception>
    public static string Decode(string token)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw new FormatException("Not a page token.");
        }

        return text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : throw new FormatException("Not a page token.");
    }
}
