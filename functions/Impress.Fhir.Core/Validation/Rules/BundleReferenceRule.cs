using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// Every reference inside a bundle resolves to one of its entries. Checked against an index built once, so a
/// bundle of 20,000 entries costs 20,000 look-ups, not 20,000 squared.
/// </summary>
/// <remarks>
/// In a transaction or batch a relative reference may name a resource already stored on the server, so an
/// unresolved one is a warning there; a urn: reference can only mean an entry of the bundle and is always an error.
/// Conditional references ("Patient?identifier=...") are resolved by the server when a transaction is processed.
/// </remarks>
public sealed class BundleReferenceRule : IValidationRule
{
    public string Id => "bundle-reference-resolves";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        if (!target.IsBundle)
        {
            return;
        }

        foreach (var entry in target.Entries)
        {
            foreach (var (reference, path) in ElementWalker.Find<ResourceReference>(entry.Resource))
            {
                var literal = reference.Reference;
                if (string.IsNullOrEmpty(literal) || literal.StartsWith('#'))
                {
                    continue;
                }

                if (literal.Contains('?'))
                {
                    if (!target.MayReferenceServer)
                    {
                        issues.Add(this.Error(entry, path, $"The conditional reference '{literal}' is only allowed in a transaction or batch.", OperationOutcome.IssueType.Invalid));
                    }

                    continue;
                }

                var resolved = target.Resolve(literal);
                if (resolved is null)
                {
                    var isUrn = literal.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);
                    if (isUrn || !target.MayReferenceServer)
                    {
                        issues.Add(this.Error(entry, path, $"The reference '{literal}' does not resolve to any entry of the bundle.", OperationOutcome.IssueType.NotFound));
                    }
                    else
                    {
                        issues.Add(this.Warning(entry, path, $"The reference '{literal}' is not in the bundle; it must already exist on the server.", OperationOutcome.IssueType.NotFound));
                    }
                }
                else if (reference.Type is { Length: > 0 } type && type != resolved.Resource.TypeName)
                {
                    issues.Add(this.Error(entry, path, $"The reference says type {type} but resolves to {RuleIssues.Describe(resolved)}.", OperationOutcome.IssueType.Invalid));
                }
            }
        }
    }
}
