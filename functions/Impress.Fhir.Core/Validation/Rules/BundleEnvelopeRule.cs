using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// The Bundle invariants that look at entry resources (bdl-3a to bdl-3c, bdl-5, bdl-11, bdl-12). The profile
/// validator checks a bundle's envelope with the entries' resources set aside, since each resource is validated on
/// its own (that is what keeps large bundles linear), so these invariants are checked here instead.
/// </summary>
public sealed class BundleEnvelopeRule : IValidationRule
{
    /// <summary>The invariants this rule takes over from the profile validator.</summary>
    public static readonly IReadOnlySet<string> Invariants = new HashSet<string> { "bdl-3a", "bdl-3b", "bdl-3c", "bdl-5", "bdl-11", "bdl-12" };

    private static readonly HashSet<Bundle.BundleType> ResourceOnlyTypes =
        [Bundle.BundleType.Document, Bundle.BundleType.Message, Bundle.BundleType.Searchset, Bundle.BundleType.Collection];

    public string Id => "bundle-envelope";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        if (target.Root is not Bundle bundle)
        {
            return;
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (CheckEntry(bundle.Type, bundle.Entry[i]) is { } message)
            {
                issues.Add(new ValidationIssue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invariant,
                    message, $"Bundle.entry[{i}]", EntryIndex: i, EntryFullUrl: bundle.Entry[i].FullUrl, RuleId: Id));
            }
        }

        var first = bundle.Entry.FirstOrDefault()?.Resource;
        if (bundle.Type == Bundle.BundleType.Document && first is not Composition)
        {
            issues.Add(Whole("A document bundle must start with a Composition (bdl-11)."));
        }

        if (bundle.Type == Bundle.BundleType.Message && first is not MessageHeader)
        {
            issues.Add(Whole("A message bundle must start with a MessageHeader (bdl-12)."));
        }
    }

    private static string? CheckEntry(Bundle.BundleType? type, Bundle.EntryComponent entry)
    {
        var hasResource = entry.Resource is not null;
        var method = entry.Request?.Method;
        var needsResource = method is Bundle.HTTPVerb.POST or Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH;

        if (!hasResource && entry.Request is null && entry.Response is null)
        {
            return "A bundle entry must have a resource, a request or a response (bdl-5).";
        }

        if (type is { } t && ResourceOnlyTypes.Contains(t) && (!hasResource || entry.Request is not null || entry.Response is not null))
        {
            return $"In a {t.ToString().ToLowerInvariant()} bundle every entry holds a resource and no request or response (bdl-3a).";
        }

        if (type is Bundle.BundleType.Transaction or Bundle.BundleType.Batch)
        {
            if (method is null)
            {
                return "In a transaction or batch every entry needs request.method (bdl-3c).";
            }

            if (needsResource != hasResource)
            {
                return needsResource
                    ? $"A {method} entry must carry the resource to write (bdl-3c)."
                    : $"A {method} entry must not carry a resource (bdl-3c).";
            }
        }

        if (type is Bundle.BundleType.History && (entry.Request is null || entry.Response is null || needsResource != hasResource))
        {
            return "In a history bundle every entry has a request and a response, and a resource exactly when the method is POST, PUT or PATCH (bdl-3b).";
        }

        return null;
    }

    private ValidationIssue Whole(string message) =>
        new(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invariant, message, "Bundle.entry[0]", RuleId: Id);
}
