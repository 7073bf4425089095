using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// What each role may do to each resource type, intersected with what the token's SMART scopes grant. Whose
/// resources a caller sees is not decided here but by <see cref="TenantStore"/>, below every interaction.
/// </summary>
public static class AccessPolicy
{
    private const SmartPermissions ReadSearch = SmartPermissions.Read | SmartPermissions.Search;
    private const SmartPermissions Write = SmartPermissions.Create | SmartPermissions.Update;

    /// <summary>The patient data a hospital sends: written by it, read back by it.</summary>
    private static readonly HashSet<string> ReportTypes = new(StringComparer.Ordinal)
    {
        "Patient", "Specimen", "Condition", "DiagnosticReport", "Observation", "MolecularSequence", "Organization",
    };

    /// <summary>What a hospital reads but does not write: the server's work for its patients, and the cohorts.</summary>
    private static readonly HashSet<string> HospitalReadTypes = new(StringComparer.Ordinal) { "CarePlan", "ResearchSubject", "Task", "ResearchStudy" };

    /// <summary>The cohort catalog, kept by the trial office.</summary>
    private static readonly HashSet<string> CatalogTypes = new(StringComparer.Ordinal) { "ResearchStudy", "Group" };

    /// <summary>The audit trail: written by the server alone.</summary>
    public const string AuditType = "AuditEvent";

    /// <summary>What <paramref name="role"/> may do to <paramref name="type"/>, before scopes.</summary>
    public static SmartPermissions PermissionsOf(CallerRole role, string type) => role switch
    {
        _ when type == AuditType => role is CallerRole.LocalOperator or CallerRole.MolMdt or CallerRole.TrialOffice ? ReadSearch : SmartPermissions.None,
        CallerRole.LocalOperator => SmartPermissions.All,
        CallerRole.Hospital when ReportTypes.Contains(type) => ReadSearch | Write,
        CallerRole.Hospital when HospitalReadTypes.Contains(type) => ReadSearch,
        CallerRole.MolMdt when type == "Task" => ReadSearch | SmartPermissions.Update,
        CallerRole.MolMdt => ReadSearch,
        CallerRole.TrialOffice when CatalogTypes.Contains(type) => ReadSearch | Write,
        CallerRole.TrialOffice => ReadSearch,
        CallerRole.RegionalTrust when type == "Subscription" => ReadSearch | Write,
        _ => SmartPermissions.None,
    };

    /// <summary>Null when <paramref name="caller"/> may do <paramref name="needed"/> to <paramref name="type"/>; otherwise the 403 that says why not.</summary>
    public static FhirResult? Check(Caller caller, string type, SmartPermissions needed)
    {
        if ((PermissionsOf(caller.Role, type) & needed) != needed)
        {
            return Forbidden(type == AuditType && needed.HasFlag(SmartPermissions.Create)
                ? "AuditEvents are written by the server alone."
                : $"A {CallerRoles.NameOf(caller.Role)} may not {Verb(needed)} {type} resources.");
        }

        return caller.Scopes.Allows(type, needed)
            ? null
            : InsufficientScope(SmartScopes.Needed(type, needed));
    }

    /// <summary>The permission an entry of a transaction or batch needs, by its method and URL; null when the entry names no stored type.</summary>
    public static (string Type, SmartPermissions Needed)? OfEntry(Bundle.RequestComponent? request)
    {
        if (request?.Url is not { Length: > 0 } url || request.Method is not { } method)
        {
            return null;
        }

        var path = url.Split('?', 2)[0].Trim('/');
        var segments = path.Split('/');
        var type = segments[0];
        if (type.Length == 0 || type.StartsWith('$'))
        {
            return null;
        }

        return (type, method switch
        {
            Bundle.HTTPVerb.POST => SmartPermissions.Create,
            Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => SmartPermissions.Update,
            Bundle.HTTPVerb.DELETE => SmartPermissions.Delete,
            _ when segments.Length > 1 && !segments[1].StartsWith('_') => SmartPermissions.Read,
            _ => SmartPermissions.Search,
        });
    }

    /// <summary>Whether exports are open to the role, and whether they must be de-identified.</summary>
    public static FhirResult? CheckExport(Caller caller, IEnumerable<string> types)
    {
        if (caller.Role is not (CallerRole.LocalOperator or CallerRole.MolMdt or CallerRole.TrialOffice or CallerRole.Registry))
        {
            return Forbidden($"A {CallerRoles.NameOf(caller.Role)} may not export.");
        }

        var missing = types.FirstOrDefault(type => !caller.Scopes.Allows(type, SmartPermissions.Read));
        return missing is null ? null : InsufficientScope(SmartScopes.Needed(missing, SmartPermissions.Read));
    }

    /// <summary>A registry gets de-identified data only.</summary>
    public static bool MustDeidentify(Caller caller) => caller.Role == CallerRole.Registry;

    public static FhirResult Forbidden(string message) => FhirResult.Error(HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden, message);

    /// <summary>403 with the RFC 6750 challenge naming the scope the client should ask for.</summary>
    public static FhirResult InsufficientScope(string scope) =>
        Forbidden($"The token's scopes do not allow this; it needs {scope}.") with
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"" },
        };

    private static string Verb(SmartPermissions needed) => needed switch
    {
        SmartPermissions.Create => "create",
        SmartPermissions.Read => "read",
        SmartPermissions.Update => "update",
        SmartPermissions.Delete => "delete",
        SmartPermissions.Search => "search",
        _ => "access",
    };
}
