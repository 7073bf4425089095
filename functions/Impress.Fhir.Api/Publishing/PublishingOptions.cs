namespace Impress.Fhir.Api.Publishing;

/// <summary>Settings of publishing to hospital EHRs and of the Mol-MDT review (configuration section "Publishing").</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>When a treatment proposal goes to the hospital: at once (hospitals see that matching ran), or only after the Mol-MDT decided.</summary>
    public ProposalPublication PublishProposals { get; set; } = ProposalPublication.Immediately;

    /// <summary>The organisation number of the Mol-MDT, the owner of the review Tasks.</summary>
    public string MolMdtOrganizationNumber { get; set; } = "993467049";

    /// <summary>The name of the Mol-MDT as review Tasks show it.</summary>
    public string MolMdtName { get; set; } = "Nasjonalt molekylært tumorboard (Mol-MDT)";

    /// <summary>Where each hospital's EHR is, and how to sign in to it.</summary>
    public List<EhrRoute> Hospitals { get; set; } = [];

    /// <summary>How many deliveries run at once.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 8;

    /// <summary>How often the outbox sweep looks for deliveries due for a retry (<c>impress serve</c>; on Azure the <c>deliver</c> timer).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a delivery taken by a worker stays its own; after that, a worker that died is presumed dead and another takes it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one HTTP request to an EHR may take before it counts as a timeout (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a request within one delivery attempt (transient failures: 5xx, 408, 429, timeouts).</summary>
    public int RetriesPerAttempt { get; set; } = 3;

    /// <summary>The first delay between retries within an attempt; doubled each time, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Delivery attempts (each with its retries) before an item is dead-lettered.</summary>
    public int MaxDeliveryAttempts { get; set; } = 8;

    /// <summary>The first delay before a failed attempt is tried again; doubled each attempt, with jitter.</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxRedeliveryDelay { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>Whether proposals are published before the Mol-MDT's decision.</summary>
public enum ProposalPublication
{
    Immediately,
    AfterDecision,
}

/// <summary>One hospital's EHR: which organisations it serves, its FHIR base, and how to authenticate there.</summary>
public sealed class EhrRoute
{
    /// <summary>A name for logs and delivery records (never a patient's data).</summary>
    public string Name { get; set; } = "";

    /// <summary>Organisation numbers (urn:oid:2.16.578.1.12.4.1.4.101) routed here.</summary>
    public List<string> OrganizationNumbers { get; set; } = [];

    /// <summary>RESH ids (urn:oid:2.16.578.1.12.4.1.4.102) routed here.</summary>
    public List<string> ReshIds { get; set; } = [];

    /// <summary>The EHR's FHIR base URL.</summary>
    public Uri? FhirBaseUrl { get; set; }

    /// <summary>
    /// The regional health trust the hospital belongs to (helse-sor-ost, helse-vest, helse-midt-norge, helse-nord):
    /// what a careplan-update subscription's <c>region</c> filter matches.
    /// </summary>
    public string? Region { get; set; }

    public EhrAuthenticationOptions Authentication { get; set; } = new();
}

/// <summary>How the server authenticates to an EHR.</summary>
public sealed class EhrAuthenticationOptions
{
    public EhrAuthenticationMethod Method { get; set; } = EhrAuthenticationMethod.None;

    /// <summary>The static bearer token (method Bearer). From configuration or a secret store, never the repository.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The OAuth2 token endpoint (methods ClientSecret and PrivateKeyJwt).</summary>
    public Uri? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret (method ClientSecret), sent as HTTP Basic authentication.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes requested, space separated, e.g. "system/CarePlan.cu system/ResearchStudy.cu".</summary>
    public string? Scope { get; set; }

    /// <summary>The private key signing the client assertion (method PrivateKeyJwt), PEM; or <see cref="PrivateKeyFile"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A file holding the PEM private key.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The key id ("kid") the token endpoint knows the public key by.</summary>
    public string? KeyId { get; set; }

    /// <summary>RS384 (default, as SMART Backend Services requires support for) or ES384.</summary>
    public string Algorithm { get; set; } = "RS384";

    /// <summary>A token is renewed this long before it expires.</summary>
    public TimeSpan ExpirySkew { get; set; } = TimeSpan.FromSeconds(30);
}

public enum EhrAuthenticationMethod
{
    None,
    Bearer,
    ClientSecret,
    PrivateKeyJwt,
}
