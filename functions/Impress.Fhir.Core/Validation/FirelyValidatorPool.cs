using System.Collections.Concurrent;
using Firely.Fhir.Validation;
using Firely.Fhir.Validation.Compilation;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Impress.Fhir.Validation.Rules;
using Impress.Fhir.Validation.Schemas;

namespace Impress.Fhir.Validation;

/// <summary>
/// Firely profile validators for concurrent use. A Firely validator must not be used by two threads at once, so
/// each caller rents one; all of them share one cache of compiled schemas and one terminology service, so a
/// StructureDefinition is compiled, and a ValueSet expanded, once per process however many validators there are.
/// </summary>
internal sealed class FirelyValidatorPool
{
    private readonly ConcurrentBag<Validator> _idle = [];
    private readonly IAsyncResourceResolver _resolver;
    private readonly IElementSchemaResolver _schemas;
    private readonly ICodeValidationTerminologyService _terminology;

    public FirelyValidatorPool(IAsyncResourceResolver resolver, bool rewriteSchemas)
    {
        _resolver = resolver;
#pragma warning disable CS0618, ExperimentalApi // The schema compiler is marked experimental; it is still the way to share compiled schemas.
        var compiled = new StructureDefinitionCorrectionsResolver(resolver);
        _schemas = rewriteSchemas
            ? new RewritingSchemaResolver(StructureDefinitionToElementSchemaResolver.Create(compiled), assertion => IsExcluded(assertion) || ValidationSettings.DEFAULTEXCLUDEFILTER(assertion))
            : StructureDefinitionToElementSchemaResolver.CreatedCached(compiled);
#pragma warning restore CS0618, ExperimentalApi
        _terminology = new SharedTerminologyService(new LocalTerminologyService(resolver, new ValueSetExpanderSettings()));
    }

    /// <summary>
    /// What the validators skip (besides the validator's own default, dom-6): the bundle invariants over entry
    /// resources, which BundleEnvelopeRule checks, since entries are validated one by one. The schema rewriter leaves
    /// these as they are, so the filter still recognises them.
    /// </summary>
#pragma warning disable ExperimentalApi // InvariantValidator is the only handle on an invariant's key.
    private static bool IsExcluded(IAssertion assertion) =>
        assertion is InvariantValidator invariant && BundleEnvelopeRule.Invariants.Contains(invariant.Key);
#pragma warning restore ExperimentalApi

    public Lease Rent() => new(this, _idle.TryTake(out var validator) ? validator : Create());

    private Validator Create()
    {
        var settings = new ValidationSettings();

        // Without a compiler in the settings, every validation run builds a new FHIRPath symbol table for the slice
        // discriminators; the shared default one is immutable and safe across threads.
#pragma warning disable ExperimentalApi
        settings.FhirPathCompiler = FhirPathValidator.DefaultCompiler;
#pragma warning restore ExperimentalApi

        settings.ExcludeFilters.Add(IsExcluded);
        return new Validator(_resolver, _terminology, null, settings, _schemas);
    }

    /// <summary>A rented validator, returned to the pool on dispose.</summary>
    public readonly struct Lease(FirelyValidatorPool pool, Validator validator) : IDisposable
    {
        public Validator Validator { get; } = validator;

        public void Dispose() => pool._idle.Add(Validator);
    }
}
