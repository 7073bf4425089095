using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;
using Impress.Fhir.Profiles;
using Impress.Fhir.Validation.Rules;

namespace Impress.Fhir.Validation;

/// <summary>
/// Validates FHIR instances against the IMPRESS profiles and the rules the profiles cannot express, offline.
/// Create one per process and share it: it is thread-safe, and what it compiles it keeps.
/// </summary>
/// <remarks>
/// A Bundle is validated as its envelope plus each entry's resource on its own (in parallel when allowed), then
/// the rules run over the whole bundle with a reference index built once. Firely's own bundle validation resolves
/// references by scanning the bundle for each one, which is quadratic in the number of entries.
/// </remarks>
public sealed class ImpressValidator
{
    private readonly FirelyValidatorPool _pool;
    private readonly IReadOnlyList<IValidationRule> _rules;
    private readonly int _parallelism;

    private ImpressValidator(ProfilePackage package, CachedResolver resolver, GenePanel? panel, IReadOnlyList<IValidationRule> rules, ImpressValidatorOptions options)
    {
        Package = package;
        Panel = panel;
        Resolver = resolver;
        _pool = new FirelyValidatorPool(resolver, options.RewriteSchemas);
        _rules = rules;
        _parallelism = Math.Max(1, options.MaxDegreeOfParallelism);
    }

    public ProfilePackage Package { get; }

    /// <summary>The sequencing panel's genes (the package's TSO500 gene ValueSet), when the package has one.</summary>
    public GenePanel? Panel { get; }

    /// <summary>Resolves conformance resources: the IMPRESS package, then the core specification.</summary>
    public CachedResolver Resolver { get; }

    public IReadOnlyList<IValidationRule> Rules => _rules;

    public static ImpressValidator Create(ImpressValidatorOptions? options = null)
    {
        options ??= new ImpressValidatorOptions();
        var package = ProfilePackage.Load(options.ProfilesDirectory);
        var resolver = ConformanceResolver.Create(package, options.CoreSpecification ?? CoreSpecificationSource.OpenDefault());

        var rules = new List<IValidationRule>
        {
            new BundleEnvelopeRule(),
            new BundleReferenceRule(),
            new ReportSubjectRule(),
            new NationalIdentityNumberRule(),
            new HgvsSyntaxRule(),
            new AlleleFrequencyRule(),
            new ReviewDecisionRule(),
            new SubscriptionRule(),
        };
        var panel = resolver.Resolve(ImpressProfiles.Tso500GenesValueSet) is ValueSet genes ? GenePanel.FromValueSet(genes) : null;
        if (panel is not null)
        {
            rules.Add(new PanelGeneRule(panel));
        }

        return new ImpressValidator(package, resolver, panel, rules, options);
    }

    /// <summary>Validates a document that was read, including the problems the parser found in it.</summary>
    public ValidationResult Validate(FhirDocument document)
    {
        var result = Validate(document.Resource);
        return document.ParseIssues.Count == 0 ? result : new ValidationResult([.. document.ParseIssues, .. result.Issues]);
    }

    public ValidationResult Validate(Resource resource)
    {
        var target = new ValidationTarget(resource);
        var issues = new List<ValidationIssue>();

        if (resource is Bundle bundle)
        {
            issues.AddRange(ValidateProfiles(EnvelopeOf(bundle), new ValidationEntry(bundle, null, null)));
            issues.AddRange(ValidateEntries(target.Entries));
        }
        else
        {
            issues.AddRange(ValidateProfiles(resource, target.Entries[0]));
        }

        foreach (var rule in _rules)
        {
            rule.Check(target, issues);
        }

        // Stable: the envelope first, then entry by entry, each entry's profile issues before its rule issues.
        return new ValidationResult(issues.OrderBy(i => i.EntryIndex ?? -1).ToList());
    }

    private IEnumerable<ValidationIssue> ValidateEntries(IReadOnlyList<ValidationEntry> entries)
    {
        var perEntry = new List<ValidationIssue>[entries.Count];
        if (_parallelism == 1 || entries.Count < 16)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                perEntry[i] = ValidateProfiles(entries[i].Resource, entries[i]);
            }
        }
        else
        {
            Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism },
                i => perEntry[i] = ValidateProfiles(entries[i].Resource, entries[i]));
        }

        return perEntry.SelectMany(list => list);
    }

    private List<ValidationIssue> ValidateProfiles(Resource resource, ValidationEntry entry)
    {
        var issues = new List<ValidationIssue>();
        var declared = resource.Meta?.Profile?.OfType<string>().ToList() ?? [];
        for (var i = 0; i < declared.Count; i++)
        {
            if (ImpressProfiles.IsOurs(declared[i]) && Resolver.Resolve(declared[i]) is null)
            {
                issues.Add(new ValidationIssue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.NotSupported,
                    $"The IMPRESS package has no profile {declared[i]}.", entry.PathOf($"meta.profile[{i}]"), null, entry.Index, entry.FullUrl, "unknown-profile"));
            }
        }

        // The validator picks declared profiles up from meta.profile itself; a resource without any is held to ours.
        var inferred = declared.Count == 0 ? ProfileSelector.InferProfile(resource) : null;
        OperationOutcome outcome;
        using (var lease = _pool.Rent())
        {
            outcome = lease.Validator.Validate(resource, inferred);
        }

        AddFirelyIssues(outcome, resource, entry, inferred ?? (declared.Count > 0 ? string.Join(", ", declared) : null), issues);
        return issues;
    }

    private static void AddFirelyIssues(OperationOutcome outcome, Resource resource, ValidationEntry entry, string? profile, List<ValidationIssue> issues)
    {
        foreach (var issue in outcome.Issue)
        {
            if (issue.Severity is null or OperationOutcome.IssueSeverity.Information)
            {
                continue;
            }

            var expression = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault();
            issues.Add(new ValidationIssue(
                issue.Severity.Value,
                issue.Code ?? OperationOutcome.IssueType.Processing,
                issue.Details?.Text ?? issue.Diagnostics ?? "The profile validator reported a problem.",
                Rebase(expression is null ? null : ElementPaths.Normalize(expression), resource, entry),
                profile,
                entry.Index,
                entry.FullUrl,
                issue.Details?.Coding.FirstOrDefault()?.Code,
                ValidationResult.SdkCodeSystem));
        }
    }

    /// <summary>Puts a path the validator gives relative to a lone resource ("Patient.identifier[0]") under its bundle entry.</summary>
    private static string? Rebase(string? expression, Resource resource, ValidationEntry entry)
    {
        if (expression is null || entry.Index is null)
        {
            return expression;
        }

        var type = resource.TypeName;
        return expression == type ? entry.Path
            : expression.StartsWith(type + ".", StringComparison.Ordinal) ? entry.Path + expression[type.Length..]
            : expression;
    }

    /// <summary>The bundle without its entries' resources, sharing everything else (nothing is copied deeply).</summary>
    private static Bundle EnvelopeOf(Bundle bundle)
    {
        var envelope = new Bundle
        {
            Id = bundle.Id,
            Meta = bundle.Meta,
            ImplicitRules = bundle.ImplicitRules,
            Language = bundle.Language,
            Identifier = bundle.Identifier,
            Type = bundle.Type,
            Timestamp = bundle.Timestamp,
            Total = bundle.Total,
            Link = bundle.Link,
            Signature = bundle.Signature,
        };
        foreach (var entry in bundle.Entry)
        {
            envelope.Entry.Add(new Bundle.EntryComponent
            {
                ElementId = entry.ElementId,
                Extension = entry.Extension,
                Link = entry.Link,
                FullUrl = entry.FullUrl,
                Search = entry.Search,
                Request = entry.Request,
                Response = entry.Response,
            });
        }

        return envelope;
    }
}
