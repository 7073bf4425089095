using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace Impress.Fhir.Storage;

/// <summary>
/// The search parameters the server indexes, taken from the FHIR R4 specification's own definitions (their
/// FHIRPath expressions and target types) so that search behaves as any FHIR client expects.
/// </summary>
public sealed class SearchParameterRegistry
{
    /// <summary>The indexed parameters per resource type. Every write indexes these; every search may use them.</summary>
    private static readonly Dictionary<string, string[]> Indexed = new(StringComparer.Ordinal)
    {
        ["Patient"] = ["identifier"],
        ["Organization"] = ["identifier"],
        ["Specimen"] = ["identifier", "subject", "patient"],
        ["Condition"] = ["identifier", "subject", "patient", "code"],
        ["DiagnosticReport"] = ["identifier", "subject", "patient", "code", "status"],
        ["Observation"] = ["identifier", "subject", "patient", "code", "status"],
        ["MolecularSequence"] = ["identifier", "patient"],
        ["CarePlan"] = ["identifier", "subject", "patient", "status", "intent"],
        ["ResearchStudy"] = ["identifier", "status"],
        ["ResearchSubject"] = ["identifier", "study", "individual", "patient", "status"],
        ["Task"] = ["identifier", "status", "focus", "owner", "code", "subject", "patient", "business-status"],
        ["Subscription"] = ["status"],
        ["Group"] = ["identifier", "member"],
        ["AuditEvent"] = ["type", "subtype", "action", "outcome", "altid", "entity", "patient"],
    };

    private readonly Dictionary<(string Type, string Code), IndexedSearchParameter> _parameters = [];
    private readonly Dictionary<string, IndexedSearchParameter[]> _byType;

    private SearchParameterRegistry()
    {
        foreach (var definition in ModelInfo.SearchParameters)
        {
            if (definition.Resource is { } type && definition.Code is { } code && Indexed.TryGetValue(type, out var codes) && codes.Contains(code))
            {
                _parameters[(type, code)] = new IndexedSearchParameter(
                    type,
                    code,
                    definition.Type,
                    definition.Expression ?? throw new InvalidOperationException($"{type}.{code} has no expression."),
                    definition.Target?.Select(t => t.GetLiteral()).ToArray() ?? []);
            }
        }

        _byType = _parameters.Values.GroupBy(p => p.ResourceType).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        var missing = Indexed.SelectMany(p => p.Value.Select(code => (p.Key, code))).Where(key => !_parameters.ContainsKey(key)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"No FHIR R4 definition for {string.Join(", ", missing.Select(m => m.Key + "." + m.code))}.");
        }
    }

    public static SearchParameterRegistry Default { get; } = new();

    /// <summary>Every indexed parameter, for the CapabilityStatement.</summary>
    public IEnumerable<IndexedSearchParameter> All => _parameters.Values.OrderBy(p => p.ResourceType, StringComparer.Ordinal).ThenBy(p => p.Code, StringComparer.Ordinal);

    /// <summary>The resource types with indexed parameters.</summary>
    public IEnumerable<string> ResourceTypes => Indexed.Keys;

    public IReadOnlyList<IndexedSearchParameter> For(string resourceType) => _byType.GetValueOrDefault(resourceType) ?? [];

    public IndexedSearchParameter? Find(string resourceType, string code) => _parameters.GetValueOrDefault((resourceType, code));
}

/// <summary>A search parameter the server indexes.</summary>
/// <param name="ResourceType">The resource type it belongs to.</param>
/// <param name="Code">Its name in a query, e.g. "subject".</param>
/// <param name="Type">Token or reference (the only kinds indexed).</param>
/// <param name="Expression">The FHIRPath from the specification that selects the indexed values.</param>
/// <param name="Targets">For a reference parameter, the resource types it may point at.</param>
public sealed record IndexedSearchParameter(string ResourceType, string Code, SearchParamType Type, string Expression, IReadOnlyList<string> Targets);
