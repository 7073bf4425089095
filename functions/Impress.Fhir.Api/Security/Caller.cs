namespace Impress.Fhir.Api.Security;

/// <summary>Who is calling: the client, the organisation it acts for, that organisation's role, and the scopes its token grants.</summary>
/// <param name="ClientId">The client's id at the issuer ("local" for the local operator).</param>
/// <param name="Organization">The organisation number, or null for the local operator.</param>
/// <param name="Role">What the organisation is to the trial.</param>
/// <param name="Region">A regional health trust's region.</param>
/// <param name="Scopes">The SMART system scopes of the token.</param>
public sealed record Caller(string ClientId, string? Organization, CallerRole Role, string? Region, SmartScopes Scopes)
{
    /// <summary>The operator of a server without tokens, which listens on loopback only.</summary>
    public static Caller LocalOperator { get; } = new("local", null, CallerRole.LocalOperator, null, SmartScopes.Unrestricted);

    /// <summary>The tenant whose resources alone this caller sees and writes, or null when it sees every tenant's.</summary>
    public string? Tenant => Role is CallerRole.Hospital or CallerRole.RegionalTrust ? Organization : null;
}

/// <summary>
/// The caller of the request being handled, for code far below the HTTP surface (the store's tenancy). Work that
/// does not come from a request (the pipeline's stages) has no caller and acts as the server.
/// </summary>
public static class CallerContext
{
    private static readonly AsyncLocal<Caller?> CurrentCaller = new();

    public static Caller? Current => CurrentCaller.Value;

    /// <summary>Makes <paramref name="caller"/> current for the rest of this asynchronous flow.</summary>
    public static void Enter(Caller? caller) => CurrentCaller.Value = caller;
}
