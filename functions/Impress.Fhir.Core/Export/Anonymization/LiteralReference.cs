using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The id inside a literal reference, so that a pseudonym replaces only it: "Patient/123" becomes "Patient/&lt;hash of
/// 123&gt;", which is where the hashed <c>Patient.id</c> is found. Absolute URLs, <c>_history</c> versions, contained
/// references ("#id") and <c>urn:uuid:</c>/<c>urn:oid:</c> keep all but the id; anything else is replaced whole.
/// </summary>
internal static class LiteralReference
{
    private const string History = "/_history/";

    public static string ReplaceId(string reference, KeyedHash pseudonyms)
    {
        var (idAt, idLength) = FindId(reference);
        return idLength == 0
            ? pseudonyms.Hex(reference)
            : string.Concat(reference.AsSpan(0, idAt), pseudonyms.Hex(reference.AsSpan(idAt, idLength)), reference.AsSpan(idAt + idLength));
    }

    /// <summary>Where the id is in the reference; a length of 0 when it is no literal reference.</summary>
    private static (int At, int Length) FindId(string reference)
    {
        if (reference.StartsWith('#'))
        {
            return (1, reference.Length - 1);
        }

        foreach (var scheme in (ReadOnlySpan<string>)["urn:uuid:", "urn:oid:"])
        {
            if (reference.StartsWith(scheme, StringComparison.Ordinal))
            {
                return (scheme.Length, reference.Length - scheme.Length);
            }
        }

        var historyAt = reference.IndexOf(History, StringComparison.Ordinal);
        var body = reference.AsSpan(0, historyAt < 0 ? reference.Length : historyAt);
        var idAt = body.LastIndexOf('/') + 1;
        if (idAt <= 1 || !IsId(body[idAt..]))
        {
            return (0, 0);
        }

        var typeAt = body[..(idAt - 1)].LastIndexOf('/') + 1;
        var isResourceType = ModelInfo.ModelInspector.FindClassMapping(body[typeAt..(idAt - 1)]) is { IsResource: true };
        var isLiteral = isResourceType
            && (typeAt == 0 || body.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || body.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        return isLiteral ? (idAt, body.Length - idAt) : (0, 0);
    }

    /// <summary>A FHIR id: 1 to 64 of A-Z, a-z, 0-9, '-' and '.'.</summary>
    private static bool IsId(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
