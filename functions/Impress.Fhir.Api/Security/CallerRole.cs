namespace Impress.Fhir.Api.Security;

/// <summary>What an organisation is to the trial, and so what its clients may do.</summary>
public enum CallerRole
{
    /// <summary>The person running a server without tokens, on loopback: everything.</summary>
    LocalOperator,

    /// <summary>Writes the reports it performs, requests or manages; reads only its own patients.</summary>
    Hospital,

    /// <summary>The national molecular tumour board: reads everything, updates review Tasks.</summary>
    MolMdt,

    /// <summary>A regional health trust: subscribes to its own region's CarePlans.</summary>
    RegionalTrust,

    /// <summary>A registry: de-identified exports only.</summary>
    Registry,

    /// <summary>The trial office: edits the cohort catalog, reads everything.</summary>
    TrialOffice,
}

/// <summary>The names of <see cref="CallerRole"/>s in configuration.</summary>
public static class CallerRoles
{
    private static readonly Dictionary<string, CallerRole> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hospital"] = CallerRole.Hospital,
        ["mol-mdt"] = CallerRole.MolMdt,
        ["regional-trust"] = CallerRole.RegionalTrust,
        ["registry"] = CallerRole.Registry,
        ["trial-office"] = CallerRole.TrialOffice,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out CallerRole role) => ByName.TryGetValue(name ?? "", out role);

    public static string NameOf(CallerRole role) => role == CallerRole.LocalOperator ? "local-operator" : ByName.First(pair => pair.Value == role).Key;
}
