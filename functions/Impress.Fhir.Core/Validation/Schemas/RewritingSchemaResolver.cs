using System.Collections.Concurrent;
using Firely.Fhir.Validation;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>Compiled schemas, rewritten by a <see cref="SchemaRewriter"/>, each compiled and rewritten once and shared.</summary>
/// <param name="compiled">The schemas as the profile validator compiles them.</param>
/// <param name="isExcluded">What the validation settings exclude: left as it is, so that the filter recognises it.</param>
internal sealed class RewritingSchemaResolver(IElementSchemaResolver compiled, Predicate<IAssertion> isExcluded) : IElementSchemaResolver
{
    private readonly ConcurrentDictionary<Canonical, Lazy<ElementSchema?>> _schemas = new();
    private readonly SchemaRewriter _rewriter = new(isExcluded);

    public ElementSchema? GetSchema(Canonical schemaUri) =>
        _schemas.GetOrAdd(schemaUri, uri => new Lazy<ElementSchema?>(() => compiled.GetSchema(uri) is { } schema ? _rewriter.Rewrite(schema) : null)).Value;
}
