using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// Transaction and batch bundles. A transaction is validated whole, planned (ids, conditional creates and
/// updates, references rewritten) and written as one <see cref="StoreCommit"/>: all or nothing. Planning runs
/// again from the original bundle when a racing writer wins a claim or a version, so the second of two identical
/// posts finds what the first stored.
/// </summary>
/// <remarks>
/// A genomics report is stored once: when a transaction creates a DiagnosticReport whose identifier is already
/// held, it is a replay. The same request body gets the original response again and nothing is written; a
/// different body is refused with 409, since a corrected report is an update of the stored one.
/// </remarks>
public sealed class TransactionProcessor(ResourceService resources, StoredResources stored, FhirServerOptions options, TimeProvider time, CommitContributors contributors, SearchParameterRegistry registry)
{
    /// <summary>
    /// Runs a transaction or batch. A transaction is planned on the document's own bundle: its entries get the ids,
    /// meta and references they are stored with. <paramref name="body"/> is the bundle's JSON, read again when a
    /// lost race means planning again.
    /// </summary>
    public async Task<FhirResult> ProcessAsync(FhirDocument document, ReadOnlyMemory<byte> body, bool returnRepresentation, CancellationToken cancellationToken)
    {
        if (document.Resource is not Bundle bundle)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"A {document.Resource.TypeName} was posted to the base URL, which takes a transaction or batch Bundle.", "resourceType");
        }

        if (bundle.Type is not (Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"The Bundle is of type '{bundle.Type?.ToString().ToLowerInvariant() ?? "(none)"}'; the base URL takes 'transaction' or 'batch'.", "Bundle.type");
        }

        if (bundle.Entry.Count > options.MaxBundleEntries)
        {
            return FhirResult.Error(HttpStatusCode.RequestEntityTooLarge, OperationOutcome.IssueType.TooCostly,
                $"The Bundle has {bundle.Entry.Count} entries; this server takes at most {options.MaxBundleEntries} per request.", "Bundle.entry");
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (CheckEntry(bundle.Entry[i], i) is { } invalid)
            {
                return invalid;
            }
        }

        return bundle.Type == Bundle.BundleType.Batch
            ? await BatchAsync(bundle, document, returnRepresentation, cancellationToken)
            : await TransactionAsync(bundle, document, body, returnRepresentation, cancellationToken);
    }

    private async Task<FhirResult> TransactionAsync(Bundle bundle, FhirDocument document, ReadOnlyMemory<byte> body, bool returnRepresentation, CancellationToken cancellationToken)
    {
        var validation = resources.Validate(document);
        if (!validation.IsValid)
        {
            return FhirResult.Error(HttpStatusCode.UnprocessableEntity, validation.ToOperationOutcome());
        }

        var hash = Convert.ToHexString(SHA256.HashData(body.Span));
        for (var attempt = 1; ; attempt++)
        {
            // Planning gives the entries their ids and rewrites their references; after a lost race it starts again
            // from the request as sent.
            var entries = attempt == 1 ? bundle : (Bundle)FhirJsonReader.Default.Read(body.Span).Resource;
            var plan = await PlanAsync(entries, hash, returnRepresentation, cancellationToken);
            if (plan.Result is { } decided)
            {
                return decided;
            }

            var messages = new List<StageMessage>();
            if (await contributors.CompleteAsync(plan.Writes, plan.Claims, messages, cancellationToken) is { } refused)
            {
                return refused;
            }

            try
            {
                await resources.Store.CommitAsync(new StoreCommit(plan.Writes, plan.Claims, messages), cancellationToken);
            }
            catch (Exception e) when (e is UniqueClaimConflictException or VersionConflictException && attempt < options.MaxWriteAttempts)
            {
                continue;
            }
            catch (VersionConflictException conflict)
            {
                return FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict, conflict.Message);
            }
            catch (UniqueClaimConflictException conflict)
            {
                return ResourceService.IdentifierTaken(conflict.Key, conflict.Owner);
            }

            await RunReadsAsync(bundle, plan.Response, cancellationToken);
            return new FhirResult { Status = HttpStatusCode.OK, Resource = plan.Response, Json = plan.Json };
        }
    }

    /// <summary>
    /// A planned transaction: its writes and claims, and the response; or the answer that ends it early. The response
    /// comes as JSON too when it is composed of the stored JSON (a representation without reads).
    /// </summary>
    private sealed record Plan(List<ResourceWrite> Writes, List<UniqueClaim> Claims, Bundle Response, FhirResult? Result = null, ReadOnlyMemory<byte>? Json = null)
    {
        public static Plan Decided(FhirResult result) => new([], [], new Bundle(), result);
    }

    private async Task<Plan> PlanAsync(Bundle bundle, string requestHash, bool returnRepresentation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse, Timestamp = now };
        var planned = new List<(int Index, Resource Resource, string Id, long Version, long Expected, bool Create)>();
        var reportClaims = new List<string>();

        foreach (var entry in bundle.Entry)
        {
            response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent() });
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var request = entry.Request!;
            if (request.Method == Bundle.HTTPVerb.GET)
            {
                continue;
            }

            var resource = entry.Resource!;
            if (request.Method == Bundle.HTTPVerb.POST)
            {
                var (existing, error) = await resources.FindExistingAsync(resource.TypeName, resource, request.IfNoneExist, cancellationToken);
                if (error is not null)
                {
                    return Plan.Decided(AtEntry(error, i));
                }

                if (existing is not null && resource is DiagnosticReport)
                {
                    return Plan.Decided(await ReplayAsync(resource, existing, requestHash, cancellationToken));
                }

                if (existing is not null)
                {
                    Map(entry, existing.Reference, references);
                    SetResponse(response.Entry[i], HttpStatusCode.OK, StoredResources.InfoOf(existing));
                    continue;
                }

                var id = StoredResources.NewId();
                Map(entry, $"{resource.TypeName}/{id}", references);
                planned.Add((i, resource, id, 1, 0, true));
                if (resource is DiagnosticReport)
                {
                    reportClaims.AddRange(BusinessIdentifiers.KeysOf(resource));
                }
            }
            else if (request.Method == Bundle.HTTPVerb.PUT)
            {
                var target = await ResolveUpdateTargetAsync(entry, i, cancellationToken);
                if (target.Error is not null)
                {
                    return Plan.Decided(target.Error);
                }

                var current = await resources.Store.ReadAsync(resource.TypeName, target.Id, cancellationToken);
                var currentVersion = current?.VersionId ?? 0;
                if (request.IfMatch is { } ifMatch && ParseETag(ifMatch) != currentVersion)
                {
                    return Plan.Decided(AtEntry(FhirResult.Error(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict,
                        $"{resource.TypeName}/{target.Id} is at version {currentVersion}, not the one If-Match names ({ifMatch})."), i));
                }

                if (planned.Any(p => p.Resource.TypeName == resource.TypeName && p.Id == target.Id))
                {
                    return Plan.Decided(AtEntry(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                        $"Two entries write {resource.TypeName}/{target.Id}."), i));
                }

                Map(entry, $"{resource.TypeName}/{target.Id}", references);
                planned.Add((i, resource, target.Id, currentVersion + 1, currentVersion, false));
            }
        }

        foreach (var (index, resource, _, _, _, _) in planned)
        {
            if (await RewriteReferencesAsync(resource, references, index, cancellationToken) is { } unresolved)
            {
                return Plan.Decided(unresolved);
            }
        }

        var writes = new List<ResourceWrite>();
        var claims = new Dictionary<string, UniqueClaim>(StringComparer.Ordinal);
        foreach (var (index, resource, id, version, expected, create) in planned)
        {
            foreach (var key in BusinessIdentifiers.KeysOf(resource))
            {
                var owner = create ? null : await resources.Store.FindClaimAsync(key, cancellationToken);
                if (owner is not null && (owner.Type != resource.TypeName || owner.Id != id))
                {
                    return Plan.Decided(AtEntry(ResourceService.IdentifierTaken(key, owner), index));
                }

                if (owner is null && !claims.TryAdd(key, new UniqueClaim(key, resource.TypeName, id)))
                {
                    return Plan.Decided(AtEntry(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Duplicate,
                        $"Two entries carry the identifier {key.Split('|', 3)[2]}, which must be unique.", "identifier"), index));
                }
            }

            var write = stored.Write(resource, id, version, expected, now);
            writes.Add(write);
            SetResponse(response.Entry[index], create || expected == 0 ? HttpStatusCode.Created : HttpStatusCode.OK, StoredResources.InfoOf(write));
            if (returnRepresentation)
            {
                response.Entry[index].Resource = resource;
            }
        }

        // The receipt answers a replay of this exact request with this response, so it is kept without resources.
        var withoutResources = WithoutResources(response);
        var receipt = JsonSerializer.SerializeToUtf8Bytes(new ReceiptRecord(requestHash, Encoding.UTF8.GetString(withoutResources)));
        foreach (var key in reportClaims)
        {
            claims[key] = claims[key] with { Payload = receipt };
        }

        // Reads run after the commit and answer with resources of their own; then the response is serialized whole.
        // (Set in a statement: a null array converted to a memory is an empty memory, not no memory.)
        ReadOnlyMemory<byte>? json = null;
        if (returnRepresentation && !bundle.Entry.Any(e => e.Request!.Method == Bundle.HTTPVerb.GET))
        {
            var stored = writes.ToDictionary(w => (w.Version.Type, w.Version.Id), w => w.Version.Json);
            json = ResponseBundleJson.Compose(withoutResources, [.. response.Entry.Select(entry => StoredJsonOf(entry, stored))]);
        }

        return new Plan(writes, [.. claims.Values], response, Json: json);
    }

    private async Task<FhirResult> ReplayAsync(Resource report, ResourceVersion existing, string requestHash, CancellationToken cancellationToken)
    {
        foreach (var key in BusinessIdentifiers.KeysOf(report))
        {
            if (await resources.Store.FindClaimAsync(key, cancellationToken) is { Payload.IsEmpty: false } owner
                && JsonSerializer.Deserialize<ReceiptRecord>(owner.Payload.Span) is { } receipt
                && receipt.RequestHash == requestHash)
            {
                var original = (Bundle)FhirJsonReader.Default.Read(Encoding.UTF8.GetBytes(receipt.Response)).Resource;
                return new FhirResult { Status = HttpStatusCode.OK, Resource = original };
            }
        }

        return FhirResult.Error(HttpStatusCode.Conflict, OperationOutcome.IssueType.Duplicate,
            $"This report is already stored as {existing.Reference} from a different request. Send a corrected report as an update of {existing.Reference} (PUT, with If-Match).",
            "DiagnosticReport.identifier");
    }

    private static byte[] WithoutResources(Bundle response)
    {
        var lean = new Bundle { Type = response.Type, Timestamp = response.Timestamp };
        lean.Entry.AddRange(response.Entry.Select(entry => new Bundle.EntryComponent { FullUrl = entry.FullUrl, Response = entry.Response }));
        return FhirJson.SerializeToUtf8Bytes(lean);
    }

    /// <summary>The stored JSON of the resource a response entry carries, by the resource's type and id.</summary>
    private static ReadOnlyMemory<byte>? StoredJsonOf(Bundle.EntryComponent entry, Dictionary<(string Type, string Id), ReadOnlyMemory<byte>> stored)
    {
        if (entry.Resource is not { } resource)
        {
            // Returned on its own: in a conditional beside a memory, null would become an empty memory (the array conversion).
            return null;
        }

        return stored[(resource.TypeName, resource.Id!)];
    }

    private sealed record ReceiptRecord(string RequestHash, string Response);

    private async Task<(string Id, FhirResult? Error)> ResolveUpdateTargetAsync(Bundle.EntryComponent entry, int index, CancellationToken cancellationToken)
    {
        var resource = entry.Resource!;
        var url = entry.Request!.Url!;
        var question = url.IndexOf('?');
        if (question >= 0)
        {
            var (match, error) = await resources.SearchForOneAsync(resource.TypeName, FhirQuery.Parse(url[question..]), cancellationToken);
            return error is not null ? ("", AtEntry(error, index)) : (match?.Id ?? resource.Id ?? StoredResources.NewId(), null);
        }

        var id = url.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        if (id is null || resource.Id != id)
        {
            return ("", AtEntry(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"An update's request.url must be {resource.TypeName}/[id] with the resource's own id ('{url}' and id '{resource.Id}')."), index));
        }

        return (id, null);
    }

    /// <summary>Points references at the resources the transaction assigned, and resolves conditional references ("Patient?identifier=...").</summary>
    private async Task<FhirResult?> RewriteReferencesAsync(Resource resource, Dictionary<string, string> assigned, int index, CancellationToken cancellationToken)
    {
        foreach (var (reference, path) in ElementWalker.Find<ResourceReference>(resource))
        {
            if (reference.Reference is not { } target)
            {
                continue;
            }

            if (assigned.TryGetValue(target, out var replacement))
            {
                reference.Reference = replacement;
            }
            else if (target.IndexOf('?') is > 0 and var question && ModelInfo.IsKnownResource(target[..question]))
            {
                var (match, error) = await resources.SearchForOneAsync(target[..question], FhirQuery.Parse(target[question..]), cancellationToken);
                if (error is not null || match is null)
                {
                    return AtEntry(error ?? FhirResult.Error(HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.NotFound,
                        $"The conditional reference {target} matches no resource.", path), index);
                }

                reference.Reference = match.Reference;
            }
        }

        return null;
    }

    private async Task RunReadsAsync(Bundle bundle, Bundle response, CancellationToken cancellationToken)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Request!.Method == Bundle.HTTPVerb.GET)
            {
                var result = await ReadAsync(bundle.Entry[i].Request!.Url!, cancellationToken);
                response.Entry[i] = ToEntry(result);
            }
        }
    }

    private async Task<FhirResult> BatchAsync(Bundle bundle, FhirDocument document, bool returnRepresentation, CancellationToken cancellationToken)
    {
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse, Timestamp = time.GetUtcNow() };
        foreach (var entry in bundle.Entry)
        {
            var request = entry.Request!;
            var result = request.Method switch
            {
                Bundle.HTTPVerb.GET => await ReadAsync(request.Url!, cancellationToken),
                Bundle.HTTPVerb.POST => await resources.CreateAsync(entry.Resource!.TypeName, new FhirDocument(entry.Resource, []), request.IfNoneExist, cancellationToken),
                _ => await UpdateEntryAsync(entry, cancellationToken),
            };
            var responseEntry = ToEntry(result);
            if (!returnRepresentation && request.Method != Bundle.HTTPVerb.GET)
            {
                responseEntry.Resource = null;
            }

            response.Entry.Add(responseEntry);
        }

        return new FhirResult { Status = HttpStatusCode.OK, Resource = response };
    }

    private Task<FhirResult> UpdateEntryAsync(Bundle.EntryComponent entry, CancellationToken cancellationToken)
    {
        var url = entry.Request!.Url!;
        var resource = entry.Resource!;
        var document = new FhirDocument(resource, []);
        var question = url.IndexOf('?');
        if (question >= 0)
        {
            return resources.ConditionalUpdateAsync(resource.TypeName, FhirQuery.Parse(url[question..]), document, cancellationToken);
        }

        var id = url.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
        return resources.UpdateAsync(resource.TypeName, id, document, entry.Request.IfMatch is { } etag ? ParseETag(etag) : null, cancellationToken);
    }

    /// <summary>A GET inside a bundle: a read (Type/id), a vread (Type/id/_history/v) or a search (Type?query).</summary>
    private async Task<FhirResult> ReadAsync(string url, CancellationToken cancellationToken)
    {
        var question = url.IndexOf('?');
        var path = (question >= 0 ? url[..question] : url).Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (path.Length)
        {
            case 1 when ModelInfo.IsKnownResource(path[0]):
                var (page, parse) = await resources.SearchAsync(path[0], question >= 0 ? FhirQuery.Parse(url[question..]) : [], strict: false, cancellationToken);
                if (page is null)
                {
                    return parse.Error!;
                }

                var searchset = new Bundle { Type = Bundle.BundleType.Searchset };
                foreach (var found in page.Resources)
                {
                    searchset.Entry.Add(new Bundle.EntryComponent { Resource = FhirJsonReader.ReadStored(found.Json.Span) });
                }

                return new FhirResult { Status = HttpStatusCode.OK, Resource = searchset };
            case 2:
                return await resources.ReadAsync(path[0], path[1], cancellationToken);
            case 4 when path[2] == "_history":
                return await resources.ReadVersionAsync(path[0], path[1], path[3], cancellationToken);
            default:
                return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, $"'{url}' is not a read or search this server supports in a bundle.");
        }
    }

    private FhirResult? CheckEntry(Bundle.EntryComponent entry, int index)
    {
        var path = $"Bundle.entry[{index}]";
        if (entry.Request?.Method is not { } method || string.IsNullOrEmpty(entry.Request.Url))
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required, "Every entry needs request.method and request.url.", path + ".request");
        }

        // Only what the server stores and serves: no other type is written, and no internal record is read.
        var target = entry.Request.Url.Split('/', '?')[0];
        if (!registry.ResourceTypes.Contains(target))
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported,
                $"request.url '{entry.Request.Url}' does not name a resource type this server stores ({string.Join(", ", registry.ResourceTypes.Order(StringComparer.Ordinal))}).", path + ".request.url");
        }

        if (method is not (Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.GET))
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported,
                $"request.method {method} is not supported in a bundle here (POST, PUT and GET are).", path + ".request.method");
        }

        if (method == Bundle.HTTPVerb.GET)
        {
            return null;
        }

        if (entry.Resource is null)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required, $"A {method} entry needs a resource.", path + ".resource");
        }

        var urlType = entry.Request.Url.Split('/', '?')[0];
        return urlType == entry.Resource.TypeName ? null
            : FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"request.url '{entry.Request.Url}' does not name the entry's resource type {entry.Resource.TypeName}.", path + ".request.url");
    }

    private static void Map(Bundle.EntryComponent entry, string reference, Dictionary<string, string> references)
    {
        if (!string.IsNullOrEmpty(entry.FullUrl))
        {
            references[entry.FullUrl] = reference;
        }
    }

    private static void SetResponse(Bundle.EntryComponent entry, HttpStatusCode status, StoredVersionInfo version)
    {
        entry.Response = new Bundle.ResponseComponent
        {
            Status = StatusLine(status),
            Location = version.VersionedReference,
            Etag = version.ETag,
            LastModified = version.LastUpdated,
        };
    }

    private static Bundle.EntryComponent ToEntry(FhirResult result)
    {
        var entry = new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = StatusLine(result.Status), Outcome = result.Outcome } };
        if (result.Version is { } version)
        {
            entry.Response.Location = version.VersionedReference;
            entry.Response.Etag = version.ETag;
            entry.Response.LastModified = version.LastUpdated;
        }

        entry.Resource = result.Resource ?? (result.Json is { } json ? FhirJsonReader.Default.Read(json.Span).Resource : null);
        return entry;
    }

    internal static FhirResult AtEntry(FhirResult error, int index)
    {
        if (error.Outcome is { } outcome)
        {
            foreach (var issue in outcome.Issue)
            {
                issue.Diagnostics = $"Bundle.entry[{index}]";
            }
        }

        return error;
    }

    internal static long? ParseETag(string etag)
    {
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return long.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    internal static string StatusLine(HttpStatusCode status) => $"{(int)status} {ReasonPhrase(status)}";

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.Created => "Created",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Gone => "Gone",
        HttpStatusCode.PreconditionFailed => "Precondition Failed",
        HttpStatusCode.UnprocessableEntity => "Unprocessable Entity",
        _ => status.ToString(),
    };
}
