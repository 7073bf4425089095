namespace Impress.Fhir.Api.Security;

/// <summary>What a SMART scope lets a client do to a resource type.</summary>
[Flags]
public enum SmartPermissions
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    All = Create | Read | Update | Delete | Search,
}

/// <summary>
/// The SMART system scopes a token grants: v2 (<c>system/DiagnosticReport.c</c>, <c>system/*.rs</c>) and v1
/// (<c>system/CarePlan.read</c>, <c>system/*.write</c>). Patient and user scopes mean nothing to a backend service,
/// and a v2 scope narrowed by a query (<c>?category=...</c>) is not honoured, so neither grants anything here.
/// </summary>
public sealed class SmartScopes
{
    private readonly Dictionary<string, SmartPermissions> _byType;

    private SmartScopes(Dictionary<string, SmartPermissions> byType) => _byType = byType;

    /// <summary>Everything, for the local operator of a server without tokens.</summary>
    public static SmartScopes Unrestricted { get; } = new(new(StringComparer.Ordinal) { ["*"] = SmartPermissions.All });

    /// <summary>Reads the space-separated or repeated scope values of a token; <paramref name="prefix"/> is removed first.</summary>
    public static SmartScopes Parse(IEnumerable<string> scopes, string prefix = "")
    {
        var byType = new Dictionary<string, SmartPermissions>(StringComparer.Ordinal);
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var text = prefix.Length > 0 && scope.StartsWith(prefix, StringComparison.Ordinal) ? scope[prefix.Length..] : scope;
            if (!text.StartsWith("system/", StringComparison.Ordinal))
            {
                continue;
            }

            var dot = text.LastIndexOf('.');
            if (dot <= "system/".Length || Permissions(text[(dot + 1)..]) is not { } permissions)
            {
                continue;
            }

            var type = text["system/".Length..dot];
            byType[type] = byType.GetValueOrDefault(type) | permissions;
        }

        return new SmartScopes(byType);
    }

    /// <summary>Whether the scopes grant every one of <paramref name="permissions"/> on <paramref name="type"/>.</summary>
    public bool Allows(string type, SmartPermissions permissions) =>
        ((_byType.GetValueOrDefault(type) | _byType.GetValueOrDefault("*")) & permissions) == permissions;

    /// <summary>The scope a client lacks, as it would ask for it ("system/Patient.rs").</summary>
    public static string Needed(string type, SmartPermissions permissions) => $"system/{type}.{Letters(permissions)}";

    private static SmartPermissions? Permissions(string text) => text switch
    {
        "read" => SmartPermissions.Read | SmartPermissions.Search,
        "write" => SmartPermissions.Create | SmartPermissions.Update | SmartPermissions.Delete,
        "*" => SmartPermissions.All,
        _ => V2(text),
    };

    /// <summary>SMART v2 letters: a non-empty subsequence of "cruds", in that order.</summary>
    private static SmartPermissions? V2(string text)
    {
        const string Order = "cruds";
        var permissions = SmartPermissions.None;
        var at = 0;
        foreach (var letter in text)
        {
            var index = Order.IndexOf(letter, at);
            if (index < 0)
            {
                return null;
            }

            permissions |= (SmartPermissions)(1 << index);
            at = index + 1;
        }

        return permissions == SmartPermissions.None ? null : permissions;
    }

    private static string Letters(SmartPermissions permissions) =>
        string.Concat("cruds".Where((_, index) => permissions.HasFlag((SmartPermissions)(1 << index))));
}
