using System.Collections.Concurrent;
using System.Text;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// Tenancy, below every interaction: a hospital's patients, and everything in their compartments, belong to the
/// hospital that first sent them; a regional trust's Subscriptions to the trust. Reads of another tenant's resource
/// find nothing (404, as for one that does not exist), searches never return one, and a write into another tenant's
/// patient is refused (403). Callers that see every tenant (the Mol-MDT, the trial office, a registry's export) and
/// the pipeline's own work pass straight through.
/// </summary>
/// <remarks>
/// The owner of a patient or subscription is a unique claim written with it (<c>tenant|Patient/{id}</c>), so two
/// hospitals cannot both take a patient, and the pipeline's later writes for the patient (its CarePlans, Tasks and
/// ResearchSubjects) inherit the owner without asking anyone. Every owned version carries the owner as the internal
/// index entry <see cref="TenantParameter"/>, which search filters on; clients cannot name it.
/// </remarks>
public sealed class TenantStore(IFhirStore inner) : IFhirStore
{
    /// <summary>The index entry naming a version's tenant; its leading underscore keeps it out of client searches.</summary>
    public const string TenantParameter = "_tenant";

    /// <summary>The parameters by which a compartment resource names its patient.</summary>
    private static readonly string[] PatientParameters = ["subject", "patient", "individual"];

    /// <summary>Resources owned by whoever created them.</summary>
    private static readonly HashSet<string> OwnerTypes = new(StringComparer.Ordinal) { "Patient", "Subscription" };

    /// <summary>Owners never change, so what has been learnt of them is kept (bounded: it is a cache, not the truth).</summary>
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

    public static bool IsOwned(string type) => OwnerTypes.Contains(type) || Impress.Fhir.Export.PatientCompartment.Default.Contains(type);

    public static string ClaimKey(string reference) => "tenant|" + reference;

    public async Task<ResourceVersion?> ReadAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        var version = await inner.ReadAsync(type, id, cancellationToken);
        return version is null || await VisibleAsync(type, id, cancellationToken) ? version : null;
    }

    public async Task<ResourceVersion?> ReadVersionAsync(string type, string id, long versionId, CancellationToken cancellationToken = default)
    {
        var version = await inner.ReadVersionAsync(type, id, versionId, cancellationToken);
        return version is null || await VisibleAsync(type, id, cancellationToken) ? version : null;
    }

    public async Task<IReadOnlyList<ResourceVersion>> HistoryAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        var versions = await inner.HistoryAsync(type, id, cancellationToken);
        return versions.Count == 0 || await VisibleAsync(type, id, cancellationToken) ? versions : [];
    }

    public Task<SearchPage> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        CallerContext.Current?.Tenant is { } tenant && IsOwned(query.Type)
            ? inner.SearchAsync(query with { Criteria = [.. query.Criteria, OwnedBy(tenant)] }, cancellationToken)
            : inner.SearchAsync(query, cancellationToken);

    /// <summary>A conditional create that finds another tenant's patient (by its national id, say) is a write into that patient: refused.</summary>
    public async Task<ClaimOwner?> FindClaimAsync(string key, CancellationToken cancellationToken = default)
    {
        var owner = await inner.FindClaimAsync(key, cancellationToken);
        if (owner is not null && CallerContext.Current?.Tenant is { } tenant && IsOwned(owner.Type) && !await VisibleAsync(owner.Type, owner.Id, cancellationToken))
        {
            throw new TenantAccessException($"{owner.Type} with that identifier belongs to another organisation than {tenant}.");
        }

        return owner;
    }

    public async Task CommitAsync(StoreCommit commit, CancellationToken cancellationToken = default)
    {
        var caller = CallerContext.Current;
        var claims = new List<UniqueClaim>(commit.Claims);
        var owners = new Dictionary<string, string?>(StringComparer.Ordinal);

        // Who owns each patient and subscription this commit writes: its recorded owner, or the creating tenant.
        foreach (var write in commit.Writes.Where(w => OwnerTypes.Contains(w.Version.Type)))
        {
            var reference = write.Version.Reference;
            var owner = await OwnerOfAsync(reference, cancellationToken);
            if (owner is null && CreatorOf(caller, write.Version.Type) is { } creator)
            {
                claims.Add(new UniqueClaim(ClaimKey(reference), write.Version.Type, write.Version.Id, Encoding.UTF8.GetBytes(creator)));
                owner = creator;
            }
            else if (caller?.Tenant is { } tenant && owner != tenant)
            {
                throw new TenantAccessException($"{reference} belongs to another organisation than {tenant}.");
            }

            owners[reference] = owner;
        }

        var writes = new List<ResourceWrite>(commit.Writes.Count);
        foreach (var write in commit.Writes)
        {
            var version = write.Version;
            if (version.IsDeleted || !IsOwned(version.Type))
            {
                writes.Add(write);
                continue;
            }

            string? owner;
            if (OwnerTypes.Contains(version.Type))
            {
                owner = owners[version.Reference];
            }
            else
            {
                var patient = PatientOf(write);
                if (patient is null)
                {
                    owner = null;
                }
                else if (!owners.TryGetValue(patient, out owner))
                {
                    owner = owners[patient] = await OwnerOfAsync(patient, cancellationToken);
                }

                if (caller?.Tenant is { } tenant && owner != tenant)
                {
                    throw new TenantAccessException(patient is null
                        ? $"{version.Type} written by organisation {tenant} must name its patient."
                        : $"{patient} is not a patient of organisation {tenant}.");
                }
            }

            writes.Add(WithOwner(write, owner));
        }

        await inner.CommitAsync(commit with { Writes = writes, Claims = claims }, cancellationToken);
    }

    /// <summary>Whether the current caller may see the resource: always, unless it is a tenant and the resource is another's.</summary>
    private async Task<bool> VisibleAsync(string type, string id, CancellationToken cancellationToken)
    {
        if (CallerContext.Current?.Tenant is not { } tenant || !IsOwned(type))
        {
            return true;
        }

        if (OwnerTypes.Contains(type))
        {
            return await OwnerOfAsync(type + "/" + id, cancellationToken) == tenant;
        }

        var owned = await inner.SearchAsync(new SearchQuery(type, [OwnedBy(tenant)], [id], [], 1), cancellationToken);
        return owned.Resources.Count > 0;
    }

    private async Task<string?> OwnerOfAsync(string reference, CancellationToken cancellationToken)
    {
        if (_owners.TryGetValue(reference, out var known))
        {
            return known;
        }

        if (await inner.FindClaimAsync(ClaimKey(reference), cancellationToken) is not { } claim)
        {
            return null;
        }

        if (_owners.Count > 100_000)
        {
            _owners.Clear();
        }

        return _owners[reference] = Encoding.UTF8.GetString(claim.Payload.Span);
    }

    /// <summary>Who owns a new resource of this type written by this caller: a hospital its patients, a trust its subscriptions.</summary>
    private static string? CreatorOf(Caller? caller, string type) => caller switch
    {
        { Role: CallerRole.Hospital } when type == "Patient" => caller.Organization,
        { Role: CallerRole.RegionalTrust } when type == "Subscription" => caller.Organization,
        _ => null,
    };

    private static string? PatientOf(ResourceWrite write) =>
        write.Index.FirstOrDefault(entry => PatientParameters.Contains(entry.Parameter) && entry.Value.StartsWith("Patient/", StringComparison.Ordinal))?.Value;

    private static ResourceWrite WithOwner(ResourceWrite write, string? owner)
    {
        var index = write.Index.Where(entry => entry.Parameter != TenantParameter);
        return write with { Index = owner is null ? [.. index] : [.. index, new SearchIndexEntry(TenantParameter, null, owner)] };
    }

    private static SearchCriterion OwnedBy(string tenant) => new(TenantParameter, [new TokenMatch(null, tenant)]);
}

/// <summary>A write that reaches into another tenant's resources: answered 403.</summary>
public sealed class TenantAccessException(string message) : Exception(message);
