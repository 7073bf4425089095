using Hl7.Fhir.Model;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Publishing;

/// <summary>
/// Which hospital a patient's results go to, and that hospital's EHR. The hospital is the patient's managing
/// organisation, else the performer of the patient's reports, named by organisation number or RESH id (on the
/// reference itself, or on the stored Organization it points at); the first one with a configured route wins.
/// </summary>
public sealed class HospitalRoutes(IFhirStore store, PublishingOptions options)
{
    /// <summary>The hospital to deliver to, as a logical reference by identifier; null when the patient names none.</summary>
    public async Task<ResourceReference?> HospitalOfAsync(string patient, CancellationToken cancellationToken)
    {
        var candidates = new List<ResourceReference>();
        if (patient.StartsWith("Patient/", StringComparison.Ordinal)
            && await store.ReadAsync("Patient", patient["Patient/".Length..], cancellationToken) is { IsDeleted: false } version
            && FhirJsonReader.ReadStored(version.Json.Span) is Patient { ManagingOrganization: { } managing })
        {
            candidates.AddRange(await IdentifiedAsync(managing, cancellationToken));
            if (candidates.FirstOrDefault(c => Find(c) is not null) is { } routed)
            {
                return routed; // the managing organisation comes first: the reports need not be read
            }
        }

        foreach (var (_, resource) in await StoredSearch.AllAsync(store, "DiagnosticReport", StoredSearch.Referencing("subject", patient), cancellationToken))
        {
            foreach (var performer in ((DiagnosticReport)resource).Performer)
            {
                candidates.AddRange(await IdentifiedAsync(performer, cancellationToken));
            }
        }

        return candidates.FirstOrDefault(c => Find(c) is not null) ?? candidates.FirstOrDefault();
    }

    /// <summary>The configured EHR of a hospital reference, or null when none is configured.</summary>
    public EhrRoute? Find(ResourceReference? hospital) =>
        hospital?.Identifier is { Value: { } value } identifier
            ? options.Hospitals.FirstOrDefault(route => identifier.System switch
            {
                NorwegianIdentifierSystems.OrganizationNumber => route.OrganizationNumbers.Contains(value, StringComparer.Ordinal),
                NorwegianIdentifierSystems.Resh => route.ReshIds.Contains(value, StringComparer.Ordinal),
                _ => false,
            })
            : null;

    private async Task<IEnumerable<ResourceReference>> IdentifiedAsync(ResourceReference reference, CancellationToken cancellationToken)
    {
        if (reference.Identifier is { } identifier)
        {
            return IsOrganizationIdentifier(identifier) ? [new ResourceReference { Identifier = identifier, Display = reference.Display }] : [];
        }

        if (reference.Reference is { } literal && literal.StartsWith("Organization/", StringComparison.Ordinal)
            && await store.ReadAsync("Organization", literal["Organization/".Length..], cancellationToken) is { IsDeleted: false } version
            && FhirJsonReader.ReadStored(version.Json.Span) is Organization organization)
        {
            return organization.Identifier.Where(IsOrganizationIdentifier)
                .Select(i => new ResourceReference { Type = "Organization", Identifier = new Identifier(i.System, i.Value), Display = organization.Name ?? reference.Display });
        }

        return [];
    }

    private static bool IsOrganizationIdentifier(Identifier identifier) =>
        identifier.System is NorwegianIdentifierSystems.OrganizationNumber or NorwegianIdentifierSystems.Resh && !string.IsNullOrEmpty(identifier.Value);
}
