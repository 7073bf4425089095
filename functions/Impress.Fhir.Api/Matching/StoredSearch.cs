using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Matching;

/// <summary>Reads whole result sets from the store, page by page, as resources with their "Type/id" references.</summary>
internal static class StoredSearch
{
    private const int PageSize = 500;

    public static async Task<List<(string Reference, Resource Resource)>> AllAsync(IFhirStore store, string type, IReadOnlyList<SearchCriterion> criteria, CancellationToken cancellationToken)
    {
        var found = new List<(string, Resource)>();
        string? token = null;
        do
        {
            var page = await store.SearchAsync(new SearchQuery(type, criteria, null, [], PageSize, token), cancellationToken);
            found.AddRange(page.Resources.Select(v => (v.Reference, FhirJsonReader.ReadStored(v.Json.Span))));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return found;
    }

    /// <summary>A search for resources whose <paramref name="parameter"/> references <paramref name="reference"/>.</summary>
    public static SearchCriterion[] Referencing(string parameter, string reference) => [new SearchCriterion(parameter, [new TokenMatch(null, reference)])];
}
