namespace Impress.Fhir.Api.Security;

/// <summary>
/// Who may call the server (configuration section "Security"). Without <see cref="Authority"/> or
/// <see cref="JwksFile"/> there are no tokens: <c>impress serve</c> then listens on loopback only, and every caller
/// is the local operator.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>HelseID's default organisation claim: the legal entity (the health trust) the client acts for.</summary>
    public const string HelseIdOrganizationClaim = "helseid://claims/client/claims/orgnr_parent";

    /// <summary>
    /// The token issuer's URL (HelseID: https://helseid-sts.nhn.no); its signing keys come from its OpenID
    /// configuration and are refreshed when a token names a key not seen before.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>A JSON Web Key Set file holding the issuer's public keys, for a closed network without the issuer's metadata.</summary>
    public string? JwksFile { get; set; }

    /// <summary>The expected <c>iss</c>; defaults to <see cref="Authority"/>. Required with <see cref="JwksFile"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>: this server's API resource name at the issuer.</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the issuer's metadata must come over HTTPS; only a test issuer on loopback turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Where clients get tokens, advertised in /.well-known/smart-configuration; defaults to the authority's /connect/token.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The claim naming the caller's organisation by its organisation number.</summary>
    public string OrganizationClaim { get; set; } = HelseIdOrganizationClaim;

    /// <summary>The claim naming the calling client.</summary>
    public string ClientIdClaim { get; set; } = "client_id";

    /// <summary>
    /// A prefix the issuer puts before SMART scopes (HelseID names scopes after the API: "nhn:impress/system/*.rs");
    /// it is removed before the scope is read.
    /// </summary>
    public string ScopePrefix { get; set; } = "";

    /// <summary>The organisations that may call, by organisation number, and what each of them is.</summary>
    public Dictionary<string, OrganizationAccess> Organizations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Roles of single clients ahead of their organisation's: the Mol-MDT's client acts for the hospital that hosts
    /// the board, yet is not that hospital. A list (Security:Clients:0:ClientId), since client ids are GUIDs and app
    /// setting names cannot hold their hyphens.
    /// </summary>
    public List<ClientAccess> Clients { get; set; } = [];

    /// <summary>Requests per client, refilled every second; beyond the burst a client gets 429 with Retry-After.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Whether tokens are required.</summary>
    public bool RequiresTokens => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(JwksFile);
}

/// <summary>What one organisation is to the trial.</summary>
public class OrganizationAccess
{
    /// <summary>hospital, mol-mdt, regional-trust, registry or trial-office.</summary>
    public string Role { get; set; } = "";

    /// <summary>For a regional health trust: its region (e.g. "Helse Vest"), the only one it may subscribe to.</summary>
    public string? Region { get; set; }

    /// <summary>A hospital's display name, for audit records.</summary>
    public string? Name { get; set; }
}

/// <summary>What one client is to the trial, whatever its organisation is.</summary>
public sealed class ClientAccess : OrganizationAccess
{
    /// <summary>The client id the issuer puts in the token.</summary>
    public string ClientId { get; set; } = "";
}

/// <summary>A token bucket per client.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a client may make at once after a quiet spell; 0 turns the limit off.</summary>
    public int Burst { get; set; } = 1_000;

    /// <summary>Requests a client may make each second, sustained.</summary>
    public int PerSecond { get; set; } = 500;
}
