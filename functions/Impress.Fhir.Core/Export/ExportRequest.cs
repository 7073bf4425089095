namespace Impress.Fhir.Export;

/// <summary>Which resources a Bulk Data export covers (the FHIR Bulk Data Access "kick-off" request).</summary>
public enum ExportLevel
{
    /// <summary><c>[base]/$export</c>: every resource the server holds.</summary>
    System,

    /// <summary><c>[base]/Patient/$export</c>: the resources of every patient's compartment.</summary>
    Patient,

    /// <summary><c>[base]/Group/[id]/$export</c>: the compartments of the group's patients.</summary>
    Group,
}

/// <summary>An export as requested, checked and normalised.</summary>
/// <param name="Level">System, Patient or Group.</param>
/// <param name="GroupId">The group's id at Group level; null otherwise.</param>
/// <param name="Types">The resource types to export (<c>_type</c>), in the order they are written; never empty.</param>
/// <param name="Since">Only resources changed after this instant (<c>_since</c>), or null for all.</param>
/// <param name="TypeFilters">Search queries per type (<c>_typeFilter</c>, "Observation?code=..."): a resource of a type with filters is exported when it matches one of them.</param>
/// <param name="Policy">The de-identification policy (<c>_anonymizationConfig</c>), or null for a raw export.</param>
/// <param name="RequestUrl">The kick-off request's URL, echoed in the manifest.</param>
public sealed record ExportRequest(
    ExportLevel Level,
    string? GroupId,
    IReadOnlyList<string> Types,
    DateTimeOffset? Since,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TypeFilters,
    string? Policy,
    string RequestUrl)
{
    /// <summary>The client that asked for the export: only it may poll, download and cancel. Null for an export run from the command line.</summary>
    public string? Owner { get; init; }
}
