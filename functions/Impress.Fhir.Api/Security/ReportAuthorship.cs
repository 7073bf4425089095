using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// A hospital writes only its own reports: a DiagnosticReport it sends names the hospital, by organisation number, as
/// its performer or results interpreter, or as the managing organisation of the report's patient (the requesting
/// hospital, since orders are not stored here). The organisations
/// are found on the references themselves, on Organizations in the same bundle, or on stored ones.
/// </summary>
public sealed class ReportAuthorship(IFhirStore store)
{
    /// <summary>
    /// Null when the caller may write <paramref name="report"/>; otherwise the 403. <paramref name="bundle"/> is the
    /// transaction or batch the report came in, whose entries its references may name by fullUrl.
    /// </summary>
    public async Task<FhirResult?> CheckAsync(Caller caller, DiagnosticReport report, Bundle? bundle, CancellationToken cancellationToken)
    {
        if (caller.Role != CallerRole.Hospital || caller.Organization is not { } organization)
        {
            return null;
        }

        var named = new List<ResourceReference>([.. report.Performer, .. report.ResultsInterpreter]);

        if (await ResolveAsync(report.Subject, bundle, cancellationToken) is Patient { ManagingOrganization: { } managing })
        {
            named.Add(managing);
        }

        foreach (var reference in named)
        {
            if ((await OrganizationNumbersAsync(reference, bundle, cancellationToken)).Contains(organization))
            {
                return null;
            }
        }

        return AccessPolicy.Forbidden(
            $"Organisation {organization} may only write reports that name it as performer, results interpreter or the patient's managing organisation (DiagnosticReport.performer).");
    }

    private async Task<IReadOnlyList<string>> OrganizationNumbersAsync(ResourceReference reference, Bundle? bundle, CancellationToken cancellationToken)
    {
        if (reference.Identifier is { System: NorwegianIdentifierSystems.OrganizationNumber, Value: { } value })
        {
            return [value];
        }

        return await ResolveAsync(reference, bundle, cancellationToken) is Organization organization
            ? [.. organization.Identifier.Where(i => i.System == NorwegianIdentifierSystems.OrganizationNumber && i.Value is not null).Select(i => i.Value!)]
            : [];
    }

    /// <summary>The resource a reference names: an entry of the bundle by fullUrl, else a stored one ("Type/id").</summary>
    private async Task<Resource?> ResolveAsync(ResourceReference? reference, Bundle? bundle, CancellationToken cancellationToken)
    {
        if (reference?.Reference is not { Length: > 0 } target)
        {
            return null;
        }

        if (bundle?.Entry.FirstOrDefault(e => e.FullUrl == target || (e.Resource is { Id: { } id } r && target == $"{r.TypeName}/{id}")) is { Resource: { } inBundle })
        {
            return inBundle;
        }

        var parts = target.Split('/');
        return parts.Length == 2 && await store.ReadAsync(parts[0], parts[1], cancellationToken) is { IsDeleted: false } version
            ? FhirJsonReader.ReadStored(version.Json.Span)
            : null;
    }
}
