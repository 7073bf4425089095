namespace Impress.Fhir.Storage;

/// <summary>A search over the current versions of one resource type. Criteria are combined with AND.</summary>
/// <param name="Type">The resource type searched.</param>
/// <param name="Criteria">Indexed-parameter criteria; a resource matches when it matches all of them.</param>
/// <param name="Ids">When not null, only resources with one of these ids (_id).</param>
/// <param name="LastUpdated">Bounds on meta.lastUpdated (_lastUpdated), all of which must hold.</param>
/// <param name="Count">The page size.</param>
/// <param name="ContinuationToken">Null for the first page; otherwise the token the previous page returned.</param>
public sealed record SearchQuery(
    string Type,
    IReadOnlyList<SearchCriterion> Criteria,
    IReadOnlyList<string>? Ids,
    IReadOnlyList<InstantBound> LastUpdated,
    int Count,
    string? ContinuationToken = null)
{
    /// <summary>
    /// Whether a version with these index entries matches the query's criteria, ids and _lastUpdated bounds, as the
    /// store would decide it (for telling apart what two queries over the same type return).
    /// </summary>
    public bool Matches(ResourceVersion version, IReadOnlyList<SearchIndexEntry> index) =>
        version.Type == Type
        && (Ids is null || Ids.Contains(version.Id))
        && LastUpdated.All(bound => bound.Holds(version.LastUpdated))
        && Criteria.All(criterion => index.Any(entry => entry.Parameter == criterion.Parameter && criterion.AnyOf.Any(match => match.Matches(entry))));
}

/// <summary>One parameter of a search: the resource matches when one of its index entries for the parameter matches any of the values (OR).</summary>
public sealed record SearchCriterion(string Parameter, IReadOnlyList<TokenMatch> AnyOf);

/// <summary>
/// A value to match an index entry against. System null matches any system; System "" matches only entries without
/// a system; Value null matches any value in the given system ("system|").
/// </summary>
public sealed record TokenMatch(string? System, string? Value)
{
    public bool Matches(SearchIndexEntry entry) =>
        (System is null || string.Equals(System, entry.System ?? "", StringComparison.Ordinal))
        && (Value is null || string.Equals(Value, entry.Value, StringComparison.Ordinal));
}

/// <summary>A comparison of meta.lastUpdated with an instant.</summary>
public sealed record InstantBound(InstantComparator Comparator, DateTimeOffset Instant)
{
    public bool Holds(DateTimeOffset value) => Comparator switch
    {
        InstantComparator.GreaterThan => value > Instant,
        InstantComparator.GreaterOrEqual => value >= Instant,
        InstantComparator.LessThan => value < Instant,
        InstantComparator.LessOrEqual => value <= Instant,
        _ => throw new ArgumentOutOfRangeException(nameof(Comparator), Comparator, null),
    };
}

public enum InstantComparator
{
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary>One page of search results, and the token for the next one (null on the last page).</summary>
/// <param name="Resources">Matching current versions, in an order the store chooses but keeps from page to page, so that paging
/// through an unchanged store visits every match exactly once.</param>
/// <param name="ContinuationToken">Where the next page starts; null when there is none.</param>
public sealed record SearchPage(IReadOnlyList<ResourceVersion> Resources, string? ContinuationToken);
