using System.Collections.Concurrent;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Applies a policy to resources. Built once per policy (the policy's FHIRPath is already compiled; which rules can
/// apply to a resource type is worked out once per type) and safe to share between threads.
/// </summary>
public sealed class Anonymizer
{
    private readonly (AnonymizationRule Rule, NodeTransform Transform)[] _rules;
    private readonly ConcurrentDictionary<string, RuleStep[]> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ResourceAnonymization> _pool = [];

    /// <summary>Throws <see cref="AnonymizationPolicyException"/> when a rule's method needs a key the policy lacks.</summary>
    /// <param name="policy">The policy, with its keys (see <see cref="AnonymizationPolicy.WithKeys"/>).</param>
    /// <param name="clock">Today's date, for the age a date implies; the system clock by default.</param>
    public Anonymizer(AnonymizationPolicy policy, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Clock = clock ?? TimeProvider.System;
        Keys = KeyMaterial.For(policy);
        _rules = policy.Rules.Select(rule => (rule, CreateTransform(rule))).ToArray();
        PartialRedaction = new PartialRedaction(policy.Parameters);
        Scrub = new IdentityScrub(policy.Parameters.ScrubNationalIdentityNumbers, policy.Parameters.ScrubPatientNames);
    }

    public AnonymizationPolicy Policy { get; }

    internal TimeProvider Clock { get; }

    internal KeyMaterial Keys { get; }

    internal PartialRedaction PartialRedaction { get; }

    internal IdentityScrub Scrub { get; }

    /// <summary>
    /// Anonymizes the resource in place, with the resources nested in it, and returns what to emit: the resource itself,
    /// or, when a rule could not be applied and the policy's processingErrors is "skip", an empty resource of its type
    /// labelled REDACTED. Under "raise" such a failure throws <see cref="AnonymizationProcessingException"/>.
    /// </summary>
    public Resource Anonymize(Resource resource, AnonymizationSubject subject)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(subject);
        var run = _pool.TryTake(out var pooled) ? pooled : new ResourceAnonymization(this);
        try
        {
            return run.Run(resource, subject);
        }
        finally
        {
            _pool.Add(run);
        }
    }

    /// <summary>The rules that can select anything in a resource of this type, each path specialised to the type.</summary>
    internal RuleStep[] PlanFor(Resource resource) =>
        _plans.TryGetValue(resource.TypeName, out var plan) ? plan : _plans.GetOrAdd(resource.TypeName, Plan(resource));

    private RuleStep[] Plan(Resource resource) =>
        _rules.Select(rule => rule.Rule.Selector.For(resource) is { } selector ? new RuleStep(rule.Rule, selector, rule.Transform) : null)
            .OfType<RuleStep>()
            .ToArray();

    private static NodeTransform CreateTransform(AnonymizationRule rule) => rule.Method switch
    {
        AnonymizationMethod.Keep => new KeepTransform(),
        AnonymizationMethod.Redact => new RedactTransform(),
        AnonymizationMethod.DateShift => new DateShiftTransform(),
        AnonymizationMethod.CryptoHash => new CryptoHashTransform(),
        AnonymizationMethod.Encrypt => new EncryptTransform(),
        AnonymizationMethod.Substitute => new SubstituteTransform(rule.Substitute!),
        AnonymizationMethod.Perturb => new PerturbTransform(rule.Perturb!),
        AnonymizationMethod.Generalize => new GeneralizeTransform(rule),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Method, "Not an anonymization method."),
    };
}
