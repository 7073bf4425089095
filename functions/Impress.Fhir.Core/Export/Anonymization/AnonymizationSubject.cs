using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The patient a resource belongs to (its Patient compartment), as the caller works it out: whose date shift applies
/// (scope <see cref="DateShiftScope.Patient"/>) and whose names the scrub removes.
/// </summary>
/// <param name="PatientId">The patient's id as stored (before any hashing); null for a resource of no patient.</param>
/// <param name="NameParts">The words of the patient's names, each at least two letters long.</param>
public sealed record AnonymizationSubject(string? PatientId, IReadOnlyList<string> NameParts)
{
    /// <summary>No patient: a ResearchStudy, an Organization.</summary>
    public static AnonymizationSubject None { get; } = new(null, []);

    /// <summary>
    /// The patient's id and the words of every name they carry (given, family and text, split at whitespace and hyphens,
    /// so "Kari-Anne" gives "Kari" and "Anne"); words shorter than two letters ("J.") identify no one and are dropped.
    /// </summary>
    public static AnonymizationSubject Of(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var parts = new List<string>();
        foreach (var name in patient.Name)
        {
            AddWords(parts, name.Text);
            AddWords(parts, name.Family);
            foreach (var given in name.Given)
            {
                AddWords(parts, given);
            }
        }

        return new AnonymizationSubject(patient.Id, parts);
    }

    private static void AddWords(List<string> parts, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        foreach (var word in name.Split([' ', '\t', '\n', '\r', '-', '\u2010', '\u2011'], StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = word.AsSpan().Trim(".,;:()'\"").ToString();
            if (trimmed.Count(char.IsLetter) >= 2 && !parts.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                parts.Add(trimmed);
            }
        }
    }
}
