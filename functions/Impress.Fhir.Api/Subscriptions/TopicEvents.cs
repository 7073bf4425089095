using Hl7.Fhir.Model;
using Impress.Fhir.Api.Publishing;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Api.Subscriptions;

/// <summary>
/// Which changes are events of which topic, and which subscriptions' filters they pass: a CarePlan created or with
/// a new status or intent (careplan-update), a cohort study with a new status or stage (cohort-status).
/// </summary>
public sealed class TopicEvents(HospitalRoutes routes)
{
    /// <summary>The topic a change is an event of, or null when it is none.</summary>
    public static SubscriptionTopic? TopicOf(Resource current, Resource? previous) => (current, previous) switch
    {
        (CarePlan, null) => SubscriptionTopics.CarePlanUpdate,
        (CarePlan now, CarePlan before) when now.Status != before.Status || now.Intent != before.Intent => SubscriptionTopics.CarePlanUpdate,
        (ResearchStudy study, _) when !CatalogStudies.IsCohort(study) => null,
        (ResearchStudy, null) => SubscriptionTopics.CohortStatus,
        (ResearchStudy now, ResearchStudy before) when now.Status != before.Status || StageOf(now) != StageOf(before) => SubscriptionTopics.CohortStatus,
        _ => null,
    };

    /// <summary>What the filters of a topic's subscriptions are matched against, worked out once per change.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FilterValuesAsync(Resource resource, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        switch (resource)
        {
            case CarePlan plan:
                values["status"] = [Hl7.Fhir.Utility.EnumUtility.GetLiteral(plan.Status) ?? ""];
                values["intent"] = [Hl7.Fhir.Utility.EnumUtility.GetLiteral(plan.Intent) ?? ""];
                var subject = plan.Subject?.Reference ?? "";
                values["subject"] = [subject, subject.StartsWith("Patient/", StringComparison.Ordinal) ? subject["Patient/".Length..] : subject];
                var hospital = subject.Length == 0 ? null : await routes.HospitalOfAsync(subject, cancellationToken);
                values["organization"] = hospital?.Identifier is { Value: { } number } identifier ? [number, identifier.System + "|" + number] : [];
                values["region"] = routes.Find(hospital)?.Region is { } region ? [region] : [];
                break;
            case ResearchStudy study:
                values["status"] = [Hl7.Fhir.Utility.EnumUtility.GetLiteral(study.Status) ?? ""];
                values["identifier"] = [.. study.Identifier.Where(i => i.Value is not null).SelectMany(i => new[] { i.Value!, i.System + "|" + i.Value })];
                break;
        }

        return values;
    }

    /// <summary>Whether the change passes every filter of the subscription (a filter passes when any of its values matches).</summary>
    public static bool Passes(TopicSubscription subscription, IReadOnlyDictionary<string, IReadOnlyList<string>> values) =>
        subscription.Filters.All(filter => values.TryGetValue(filter.Name, out var actual) && filter.Values.Any(v => actual.Contains(v, StringComparer.Ordinal)));

    private static string? StageOf(ResearchStudy study) => (study.GetExtensionValue<Code>(CatalogStudies.CohortStageExtension))?.Value;
}
