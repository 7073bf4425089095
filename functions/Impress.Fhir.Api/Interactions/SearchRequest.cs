using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Interactions;

/// <summary>Turns the parameters of a FHIR search into a <see cref="SearchQuery"/>, or explains what is wrong with them.</summary>
public sealed class SearchRequestParser(SearchParameterRegistry registry, FhirServerOptions options)
{
    /// <summary>The parameter that carries the continuation token of the next page.</summary>
    public const string ContinuationParameter = "_page";

    /// <summary>Parameters that shape the result rather than select resources, and are accepted without effect.</summary>
    private static readonly HashSet<string> Ignorable = new(StringComparer.Ordinal) { "_format", "_pretty", "_summary", "_elements", "_total" };

    public SearchParse Parse(string type, IEnumerable<KeyValuePair<string, string>> parameters, bool strict)
    {
        var criteria = new List<SearchCriterion>();
        var bounds = new List<InstantBound>();
        List<string>? ids = null;
        var count = options.DefaultPageSize;
        string? token = null;
        var ignored = new List<string>();
        var includes = new List<SearchInclude>();
        var total = 0;

        foreach (var (name, value) in parameters)
        {
            if (++total > options.MaxSearchParameters)
            {
                return SearchParse.Invalid($"A search takes at most {options.MaxSearchParameters} parameters.", name);
            }

            switch (name)
            {
                case "_include" or "_revinclude":
                    if (ParseInclude(type, name, value, out var include) is { } includeError)
                    {
                        return SearchParse.Invalid(includeError, name);
                    }

                    includes.Add(include!);
                    break;
                case "_count":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 0)
                    {
                        return SearchParse.Invalid($"_count must be a whole number, not '{value}'.", "_count");
                    }

                    count = Math.Min(count, options.MaxPageSize);
                    break;
                case ContinuationParameter:
                    token = value;
                    break;
                case "_id":
                    ids ??= [];
                    ids.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "_lastUpdated":
                    if (!TryParseDateBounds(value, bounds, out var dateError))
                    {
                        return SearchParse.Invalid(dateError, "_lastUpdated");
                    }

                    break;
                default:
                    if (Ignorable.Contains(name))
                    {
                        break;
                    }

                    var code = name;
                    if (name.Contains(':'))
                    {
                        return SearchParse.Invalid($"Search modifiers are not supported ('{name}').", name);
                    }

                    if (registry.Find(type, code) is not { } parameter)
                    {
                        if (strict)
                        {
                            return SearchParse.Invalid($"{type} has no search parameter '{name}' on this server.", name);
                        }

                        ignored.Add(name);
                        break;
                    }

                    criteria.Add(new SearchCriterion(code, value.Split(',').SelectMany(v => Matches(parameter, v)).ToList()));
                    break;
            }
        }

        return new SearchParse(new SearchQuery(type, criteria, ids, bounds, count, token), ignored, null) { Includes = includes };
    }

    /// <summary>"DiagnosticReport:subject" or "DiagnosticReport:subject:Patient" (_include, from the searched type), "Observation:subject" (_revinclude, pointing at it).</summary>
    private string? ParseInclude(string type, string name, string value, out SearchInclude? include)
    {
        include = null;
        var parts = value.Split(':');
        var reverse = name == "_revinclude";
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            return $"{name} reads SourceType:parameter[:TargetType], not '{value}'.";
        }

        var (source, code, target) = (parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        if (!reverse && source != type)
        {
            return $"_include names parameters of the searched type {type}, not '{source}'.";
        }

        if (registry.Find(source, code) is not { Type: SearchParamType.Reference } parameter)
        {
            return $"'{source}:{code}' is not a reference search parameter this server indexes.";
        }

        var targets = target is null ? parameter.Targets.Where(registry.ResourceTypes.Contains).ToList() : [target];
        var pointsRight = reverse
            ? (target is null || target == type) && parameter.Targets.Contains(type)
            : (target is null || parameter.Targets.Contains(target)) && targets.Count > 0;
        if (!pointsRight)
        {
            return $"'{value}' does not point at {(reverse ? type : "a stored type")}.";
        }

        include = new SearchInclude(source, code, reverse ? [type] : targets, reverse);
        return null;
    }

    private static IEnumerable<TokenMatch> Matches(IndexedSearchParameter parameter, string value)
    {
        if (parameter.Type == SearchParamType.Reference)
        {
            // "Patient/1" or a full URL name the type; a bare id may point at any of the parameter's target types.
            return ReferenceValue.TryNormalize(value, out var normalized)
                ? [new TokenMatch(null, normalized)]
                : parameter.Targets.Select(target => new TokenMatch(null, target + "/" + value));
        }

        var bar = value.IndexOf('|');
        if (bar < 0)
        {
            return [new TokenMatch(null, value)];
        }

        var code = value[(bar + 1)..];
        return [new TokenMatch(value[..bar], code.Length == 0 ? null : code)];
    }

    /// <summary>"2026-11", "ge2026-11-25", "lt2026-11-25T10:00:00Z": a prefix and a date of any FHIR precision, as bounds on an instant.</summary>
    internal static bool TryParseDateBounds(string value, List<InstantBound> bounds, out string error)
    {
        error = "";
        var prefix = value.Length > 2 && char.IsLetter(value[0]) ? value[..2] : "eq";
        var date = prefix == "eq" && !value.StartsWith("eq", StringComparison.Ordinal) ? value : value[2..];
        if (!TryParseRange(date, out var start, out var end))
        {
            error = $"'{value}' is not a FHIR date search value (e.g. 2026-11-25 or ge2026-11-25T08:00:00Z).";
            return false;
        }

        switch (prefix)
        {
            case "eq":
                bounds.Add(new(InstantComparator.GreaterOrEqual, start));
                bounds.Add(new(InstantComparator.LessThan, end));
                break;
            case "gt" or "sa":
                bounds.Add(new(InstantComparator.GreaterOrEqual, end));
                break;
            case "ge":
                bounds.Add(new(InstantComparator.GreaterOrEqual, start));
                break;
            case "lt" or "eb":
                bounds.Add(new(InstantComparator.LessThan, start));
                break;
            case "le":
                bounds.Add(new(InstantComparator.LessThan, end));
                break;
            default:
                error = $"The prefix '{prefix}' is not supported for _lastUpdated (use eq, gt, ge, lt, le, sa or eb).";
                return false;
        }

        return true;
    }

    /// <summary>The instants a date of the given precision covers: [start, end); the end of time ends those of year 9999.</summary>
    private static bool TryParseRange(string date, out DateTimeOffset start, out DateTimeOffset end)
    {
        start = end = default;
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(date, "yyyy", CultureInfo.InvariantCulture, styles, out start))
        {
            end = Later(start, s => s.AddYears(1));
            return true;
        }

        if (DateTimeOffset.TryParseExact(date, "yyyy-MM", CultureInfo.InvariantCulture, styles, out start))
        {
            end = Later(start, s => s.AddMonths(1));
            return true;
        }

        if (DateTimeOffset.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out start))
        {
            end = Later(start, s => s.AddDays(1));
            return true;
        }

        if (date.Contains('T') && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, styles, out start))
        {
            end = Later(start, s => s.AddSeconds(1));
            return true;
        }

        return false;
    }

    private static DateTimeOffset Later(DateTimeOffset start, Func<DateTimeOffset, DateTimeOffset> add) =>
        DateTimeOffset.MaxValue - start < TimeSpan.FromDays(366) ? DateTimeOffset.MaxValue : add(start);
}

/// <summary>An _include (the resources the matches point at) or _revinclude (the resources pointing at the matches).</summary>
/// <param name="SourceType">The type holding the reference parameter.</param>
/// <param name="Parameter">The reference parameter.</param>
/// <param name="TargetTypes">The types included by _include (or the searched type, for _revinclude).</param>
/// <param name="Reverse">True for _revinclude.</param>
public sealed record SearchInclude(string SourceType, string Parameter, IReadOnlyList<string> TargetTypes, bool Reverse)
{
    /// <summary>The types whose resources this brings into the result.</summary>
    public IReadOnlyList<string> IncludedTypes => Reverse ? [SourceType] : TargetTypes;
}

/// <summary>A parsed search: the query, or the reason it cannot run, and the parameters that were ignored.</summary>
public sealed record SearchParse(SearchQuery Query, IReadOnlyList<string> Ignored, FhirResult? Error)
{
    public IReadOnlyList<SearchInclude> Includes { get; init; } = [];

    public static SearchParse Invalid(string message, string parameter) =>
        new(new SearchQuery("", [], null, [], 0), [], FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, message, parameter));
}
