using Hl7.Fhir.Model;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Export;

/// <summary>
/// The FHIR R4 Patient compartment (CompartmentDefinition/patient) for the resource types this server stores: which
/// search parameters tie a resource to a patient. Patient and Group exports are built from it, and it tells the
/// de-identification whose names to scrub and whose date shift applies.
/// </summary>
public sealed class PatientCompartment
{
    /// <summary>The R4 compartment's parameters for each stored type (Task by its patient, <c>Task.for</c>, as review Tasks are).</summary>
    private static readonly Dictionary<string, string[]> Parameters = new(StringComparer.Ordinal)
    {
        ["CarePlan"] = ["patient", "performer"],
        ["Condition"] = ["patient", "asserter"],
        ["DiagnosticReport"] = ["subject"],
        ["MolecularSequence"] = ["patient"],
        ["Observation"] = ["subject", "performer"],
        ["ResearchSubject"] = ["individual"],
        ["Specimen"] = ["subject"],
        ["Task"] = ["patient"],
    };

    private readonly Dictionary<string, SearchPath[]> _paths;

    private PatientCompartment()
    {
        _paths = Parameters.ToDictionary(
            p => p.Key,
            p => p.Value.Select(code => SearchPath.Compile(p.Key, Expression(p.Key, code))).ToArray(),
            StringComparer.Ordinal);
    }

    public static PatientCompartment Default { get; } = new();

    /// <summary>The types whose resources can be in a patient's compartment, Patient included.</summary>
    public IEnumerable<string> Types => Parameters.Keys.Append("Patient");

    public bool Contains(string type) => type == "Patient" || Parameters.ContainsKey(type);

    /// <summary>The ids of the patients whose compartment <paramref name="resource"/> is in: its own id for a Patient.</summary>
    public IReadOnlyList<string> PatientsOf(Resource resource)
    {
        if (resource is Patient patient)
        {
            return patient.Id is { } id ? [id] : [];
        }

        if (!_paths.TryGetValue(resource.TypeName, out var paths))
        {
            return [];
        }

        List<string>? patients = null;
        foreach (var path in paths)
        {
            foreach (var value in path.Select(resource))
            {
                if (value is ResourceReference { Reference: { } literal } && ReferenceValue.TryNormalize(literal, out var normalized)
                    && normalized.StartsWith("Patient/", StringComparison.Ordinal))
                {
                    var id = normalized["Patient/".Length..];
                    patients ??= [];
                    if (!patients.Contains(id))
                    {
                        patients.Add(id);
                    }
                }
            }
        }

        return patients ?? (IReadOnlyList<string>)[];
    }

    private static string Expression(string type, string code) =>
        ModelInfo.SearchParameters.FirstOrDefault(p => p.Resource == type && p.Code == code)?.Expression
        ?? throw new InvalidOperationException($"No FHIR R4 search parameter {type}.{code}.");
}
