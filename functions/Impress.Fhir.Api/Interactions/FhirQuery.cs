namespace Impress.Fhir.Api.Interactions;

/// <summary>Parses the query strings FHIR carries outside a URL (If-None-Exist, a bundle entry's request.url).</summary>
public static class FhirQuery
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string query)
    {
        var question = query.IndexOf('?');
        if (question >= 0)
        {
            query = query[(question + 1)..];
        }

        return query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => KeyValuePair.Create(Uri.UnescapeDataString(parts[0].Replace('+', ' ')), parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : ""))
            .ToList();
    }
}
