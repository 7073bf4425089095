using Hl7.Fhir.Model;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// Business identifiers that name one real-world thing (a person's national id, a report number, a cohort) and so
/// may be held by one resource only. Each is a unique claim in the store: two racing creates of the same patient
/// cannot both commit, which is what makes conditional create safe without a read-then-write.
/// </summary>
public static class BusinessIdentifiers
{
    private static readonly HashSet<string> UniqueTypes = new(StringComparer.Ordinal)
    {
        "Patient", "Organization", "DiagnosticReport", "ResearchStudy", "ResearchSubject", "CarePlan", "Task",
    };

    public static bool AreUnique(string type) => UniqueTypes.Contains(type);

    /// <summary>The claim keys of a resource's identifiers that have both a system and a value.</summary>
    public static IReadOnlyList<string> KeysOf(Resource resource)
    {
        if (!AreUnique(resource.TypeName))
        {
            return [];
        }

        var identifiers = resource.EnumerateElements().Where(e => e.Key == "identifier").SelectMany(e => e.Value as IEnumerable<Identifier> ?? (e.Value is Identifier one ? [one] : []));
        return identifiers
            .Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            .Select(i => Key(resource.TypeName, i.System!, i.Value!))
            .Distinct()
            .ToList();
    }

    public static string Key(string type, string system, string value) => $"identifier|{type}|{system}|{value}";
}
