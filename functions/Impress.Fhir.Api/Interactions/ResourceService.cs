using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// The FHIR RESTful interactions on single resources (create, conditional create, update, conditional update,
/// read, vread, history, search, $validate) over an <see cref="IFhirStore"/>. Knows nothing of HTTP: the hosts map
/// requests onto these methods and <see cref="FhirResult"/>s back onto responses.
/// </summary>
public sealed class ResourceService(
    IFhirStore store,
    ImpressValidator validator,
    StoredResources stored,
    SearchRequestParser searchParser,
    FhirServerOptions options,
    TimeProvider time,
    CommitContributors contributors)
{
    public IFhirStore Store => store;

    public ImpressValidator Validator => validator;

    public async Task<FhirResult> ReadAsync(string type, string id, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(type, id, cancellationToken);
        return current switch
        {
            null => NotFound(type, id),
            { IsDeleted: true } => FhirResult.Error(HttpStatusCode.Gone, OperationOutcome.IssueType.Deleted, $"{type}/{id} was deleted."),
            _ => Found(current),
        };
    }

    public async Task<FhirResult> ReadVersionAsync(string type, string id, string versionId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(versionId, out var version) || version < 1)
        {
            return FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"'{versionId}' is not a version of {type}/{id}.");
        }

        var stored = await store.ReadVersionAsync(type, id, version, cancellationToken);
        return stored switch
        {
            null => FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"{type}/{id} has no version {versionId}."),
            { IsDeleted: true } => FhirResult.Error(HttpStatusCode.Gone, OperationOutcome.IssueType.Deleted, $"Version {versionId} of {type}/{id} records its deletion."),
            _ => Found(stored),
        };
    }

    public async Task<IReadOnlyList<ResourceVersion>?> HistoryAsync(string type, string id, CancellationToken cancellationToken)
    {
        var versions = await store.HistoryAsync(type, id, cancellationToken);
        return versions.Count == 0 ? null : versions;
    }

    public async Task<(SearchPage? Page, SearchParse Parse)> SearchAsync(string type, IEnumerable<KeyValuePair<string, string>> parameters, bool strict, CancellationToken cancellationToken)
    {
        var parse = searchParser.Parse(type, parameters, strict);
        if (parse.Error is not null)
        {
            return (null, parse);
        }

        try
        {
            return (await store.SearchAsync(parse.Query, cancellationToken), parse);
        }
        catch (FormatException)
        {
            return (null, SearchParse.Invalid("The page token is not one this server issued.", SearchRequestParser.ContinuationParameter));
        }
    }

    /// <summary>
    /// The resources a page's _include and _revinclude parameters bring in, each once and none that is a match
    /// already. Read through the store, so a tenant's search includes only its own resources.
    /// </summary>
    public async Task<IReadOnlyList<ResourceVersion>> IncludeAsync(SearchPage page, IReadOnlyList<SearchInclude> includes, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(page.Resources.Select(r => r.Reference), StringComparer.Ordinal);
        var included = new List<ResourceVersion>();
        foreach (var include in includes)
        {
            var added = 0;
            if (include.Reverse && page.Resources.Count > 0)
            {
                var pointingAt = page.Resources.Select(r => new TokenMatch(null, r.Reference)).ToList();
                string? token = null;
                do
                {
                    var sources = await store.SearchAsync(new SearchQuery(include.SourceType, [new SearchCriterion(include.Parameter, pointingAt)], null, [], options.MaxPageSize, token), cancellationToken);
                    foreach (var source in sources.Resources.Where(r => seen.Add(r.Reference)).Take(options.MaxIncluded - added))
                    {
                        included.Add(source);
                        added++;
                    }

                    token = sources.ContinuationToken;
                }
                while (token is not null && added < options.MaxIncluded);

                continue;
            }

            if (include.Reverse)
            {
                continue;
            }

            foreach (var match in page.Resources)
            {
                var references = stored.Indexer.Index(FhirJsonReader.ReadStored(match.Json.Span)).Where(entry => entry.Parameter == include.Parameter).Select(entry => entry.Value);
                foreach (var reference in references.Where(r => include.TargetTypes.Contains(r.Split('/')[0]) && seen.Add(r)))
                {
                    var parts = reference.Split('/');
                    if (added < options.MaxIncluded && await store.ReadAsync(parts[0], parts[1], cancellationToken) is { IsDeleted: false } target)
                    {
                        included.Add(target);
                        added++;
                    }
                }
            }
        }

        return included;
    }

    /// <summary>Validates a document against the IMPRESS profiles and rules; the result is information, never a refusal.</summary>
    public ValidationResult Validate(FhirDocument document) => validator.Validate(document);

    /// <summary>Create, or with <paramref name="ifNoneExist"/> a conditional create.</summary>
    public async Task<FhirResult> CreateAsync(string type, FhirDocument document, string? ifNoneExist, CancellationToken cancellationToken)
    {
        if (CheckWrite(type, document) is { } refused)
        {
            return refused;
        }

        var resource = document.Resource;
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindExistingAsync(type, resource, ifNoneExist, cancellationToken);
            if (existing.Error is not null)
            {
                return existing.Error;
            }

            if (existing.Match is { } match)
            {
                return Found(match) with { Status = HttpStatusCode.OK, IsWrite = true };
            }

            var id = StoredResources.NewId();
            var write = stored.Write(resource, id, 1, 0, time.GetUtcNow());
            var writes = new List<ResourceWrite> { write };
            var claims = BusinessIdentifiers.KeysOf(resource).Select(key => new UniqueClaim(key, type, id)).ToList();
            var messages = new List<StageMessage>();
            if (await contributors.CompleteAsync(writes, claims, messages, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            try
            {
                await store.CommitAsync(new StoreCommit(writes, claims, messages), cancellationToken);
                return new FhirResult { Status = HttpStatusCode.Created, Resource = resource, Version = StoredResources.InfoOf(write), IsWrite = true };
            }
            catch (Exception e) when (e is UniqueClaimConflictException or VersionConflictException && attempt < options.MaxWriteAttempts)
            {
                // Somebody created the same thing meanwhile (look again, and this time find it), or changed what
                // this create's consequences update (plan them again).
            }
            catch (VersionConflictException conflict)
            {
                return FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict, conflict.Message);
            }
        }
    }

    /// <summary>Update by id; creates the resource with that id when it does not exist. <paramref name="ifMatch"/> is the expected version.</summary>
    public async Task<FhirResult> UpdateAsync(string type, string id, FhirDocument document, long? ifMatch, CancellationToken cancellationToken)
    {
        if (CheckWrite(type, document) is { } refused)
        {
            return refused;
        }

        var resource = document.Resource;
        if (resource.Id is null)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required, $"The {type} has no id; an update must carry the id of the URL ({id}).", $"{type}.id");
        }

        if (resource.Id != id)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, $"The {type} has id '{resource.Id}' but was sent to {type}/{id}.", $"{type}.id");
        }

        return await UpdateResolvedAsync(type, id, resource, ifMatch, cancellationToken);
    }

    /// <summary>Conditional update: the query finds no resource (create), one (update it) or several (412).</summary>
    public async Task<FhirResult> ConditionalUpdateAsync(string type, IEnumerable<KeyValuePair<string, string>> criteria, FhirDocument document, CancellationToken cancellationToken)
    {
        if (CheckWrite(type, document) is { } refused)
        {
            return refused;
        }

        var found = await SearchForOneAsync(type, criteria, cancellationToken);
        if (found.Error is not null)
        {
            return found.Error;
        }

        var resource = document.Resource;
        if (found.Match is { } match)
        {
            if (resource.Id is not null && resource.Id != match.Id)
            {
                return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, $"The {type} has id '{resource.Id}' but the condition matches {match.Reference}.", $"{type}.id");
            }

            return await UpdateResolvedAsync(type, match.Id, resource, null, cancellationToken);
        }

        return await UpdateResolvedAsync(type, resource.Id ?? StoredResources.NewId(), resource, null, cancellationToken);
    }

    private async Task<FhirResult> UpdateResolvedAsync(string type, string id, Resource resource, long? ifMatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.ReadAsync(type, id, cancellationToken);
            var currentVersion = current?.VersionId ?? 0;
            if (ifMatch is { } expected && expected != currentVersion)
            {
                return FhirResult.Error(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict,
                    $"{type}/{id} is at version {currentVersion}, not {expected} as If-Match expects.");
            }

            var claims = new List<UniqueClaim>();
            foreach (var key in BusinessIdentifiers.KeysOf(resource))
            {
                var owner = await store.FindClaimAsync(key, cancellationToken);
                if (owner is null)
                {
                    claims.Add(new UniqueClaim(key, type, id));
                }
                else if (owner.Type != type || owner.Id != id)
                {
                    return IdentifierTaken(key, owner);
                }
            }

            var write = stored.Write(resource, id, currentVersion + 1, currentVersion, time.GetUtcNow());
            var writes = new List<ResourceWrite> { write };
            var messages = new List<StageMessage>();
            if (await contributors.CompleteAsync(writes, claims, messages, cancellationToken) is { } refusal)
            {
                return refusal;
            }

            try
            {
                await store.CommitAsync(new StoreCommit(writes, claims, messages), cancellationToken);
                return new FhirResult
                {
                    Status = currentVersion == 0 ? HttpStatusCode.Created : HttpStatusCode.OK,
                    Resource = resource,
                    Version = StoredResources.InfoOf(write),
                    IsWrite = true,
                };
            }
            catch (VersionConflictException conflict) when ((ifMatch is null || !Targets(conflict, type, id)) && attempt < options.MaxWriteAttempts)
            {
                // Another writer got in between the read and the commit: without If-Match the client asked for "latest
                // wins"; a conflict on what the update's consequences write (a cohort's accounting) is planned again.
            }
            catch (VersionConflictException conflict) when (ifMatch is not null && Targets(conflict, type, id))
            {
                return FhirResult.Error(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict, conflict.Message);
            }
            catch (VersionConflictException conflict)
            {
                return FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict, conflict.Message);
            }
            catch (UniqueClaimConflictException conflict)
            {
                return IdentifierTaken(conflict.Key, conflict.Owner);
            }
        }
    }

    private static bool Targets(VersionConflictException conflict, string type, string id) => conflict.Type == type && conflict.Id == id;

    /// <summary>
    /// What a create resolves to before anything is written: the resource If-None-Exist finds, or the one already
    /// holding one of its business identifiers (a create of the same patient twice answers with the first).
    /// </summary>
    internal async Task<(ResourceVersion? Match, FhirResult? Error)> FindExistingAsync(string type, Resource resource, string? ifNoneExist, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(ifNoneExist))
        {
            var found = await SearchForOneAsync(type, FhirQuery.Parse(ifNoneExist), cancellationToken);
            if (found.Error is not null || found.Match is not null)
            {
                return found;
            }
        }

        foreach (var key in BusinessIdentifiers.KeysOf(resource))
        {
            if (await store.FindClaimAsync(key, cancellationToken) is { } owner
                && await store.ReadAsync(owner.Type, owner.Id, cancellationToken) is { IsDeleted: false } holder)
            {
                return (holder, null);
            }
        }

        return (null, null);
    }

    /// <summary>Runs a conditional interaction's query: none, one, or 412 for several.</summary>
    internal async Task<(ResourceVersion? Match, FhirResult? Error)> SearchForOneAsync(string type, IEnumerable<KeyValuePair<string, string>> criteria, CancellationToken cancellationToken)
    {
        var parse = searchParser.Parse(type, criteria, strict: true);
        if (parse.Error is not null)
        {
            return (null, parse.Error);
        }

        if (parse.Query.Criteria.Count == 0 && parse.Query.Ids is null)
        {
            return (null, FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "A conditional interaction needs search criteria."));
        }

        var page = await store.SearchAsync(parse.Query with { Count = 2 }, cancellationToken);
        return page.Resources.Count switch
        {
            0 => (null, null),
            1 => (page.Resources[0], null),
            _ => (null, FhirResult.Error(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.MultipleMatches,
                $"The condition matches more than one {type}; it must identify one.")),
        };
    }

    /// <summary>Refuses what must not be stored: a resource of another type than the URL, or one that breaks the profiles.</summary>
    private FhirResult? CheckWrite(string type, FhirDocument document)
    {
        if (document.Resource.TypeName != type)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"The body is a {document.Resource.TypeName}, but was sent to the {type} endpoint.", "resourceType");
        }

        var result = validator.Validate(document);
        return result.IsValid ? null : FhirResult.Error(HttpStatusCode.UnprocessableEntity, result.ToOperationOutcome());
    }

    internal static FhirResult IdentifierTaken(string key, ClaimOwner owner) =>
        FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Duplicate,
            $"The identifier {key.Split('|', 3)[2]} already belongs to {owner.Type}/{owner.Id}.", "identifier");

    private static FhirResult NotFound(string type, string id) =>
        FhirResult.Error(HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, $"There is no {type}/{id}.");

    private static FhirResult Found(ResourceVersion version) =>
        new() { Status = HttpStatusCode.OK, Json = version.Json, Version = StoredResources.InfoOf(version) };
}
