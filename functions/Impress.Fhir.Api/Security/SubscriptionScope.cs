using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Fhir;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Api.Security;

/// <summary>
/// A regional health trust subscribes to its own region only: every region its Subscription's filters name is the
/// trust's, and every hospital they name (by organisation number) is one of the trust's hospitals.
/// </summary>
public sealed class SubscriptionScope(HospitalRoutes routes)
{
    /// <summary>Null when the caller may hold this Subscription; otherwise the 403.</summary>
    public FhirResult? Check(Caller caller, Subscription subscription)
    {
        if (caller.Role != CallerRole.RegionalTrust)
        {
            return null;
        }

        if (caller.Region is not { } region)
        {
            return AccessPolicy.Forbidden($"Organisation {caller.Organization} has no region configured (Security:Organizations:{caller.Organization}:Region).");
        }

        // A Subscription that cannot be served is refused with its own reasons by the interaction itself.
        if (TopicSubscriptions.Read(subscription, []) is not { } topic)
        {
            return null;
        }

        var scoped = false;
        foreach (var filter in topic.Filters)
        {
            var outside = filter.Name switch
            {
                "region" => filter.Values.FirstOrDefault(value => value != region),
                "organization" => filter.Values.FirstOrDefault(value => RegionOf(value) != region),
                _ => null,
            };
            if (outside is not null)
            {
                return AccessPolicy.Forbidden($"The regional trust {region} may subscribe to its own region only, not to {filter.Name} '{outside}' (Subscription.criteria).");
            }

            scoped |= filter.Name is "region" or "organization";
        }

        return scoped || topic.Topic != SubscriptionTopics.CarePlanUpdate ? null : AccessPolicy.Forbidden($"A regional trust's Subscription names its region: a backport-filter-criteria of CarePlan?region={region} (Subscription.criteria).");
    }

    private string? RegionOf(string organizationNumber)
    {
        var identifier = organizationNumber.Split('|') is [var system, var value] ? new Identifier(system, value) : new Identifier(NorwegianIdentifierSystems.OrganizationNumber, organizationNumber);
        return routes.Find(new ResourceReference { Identifier = identifier })?.Region;
    }
}
