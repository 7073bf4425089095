using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// substitute: a primitive takes the rule's JSON primitive (null removes the value); a complex element takes the rule's
/// JSON object, read as the element's type once per type. Children holding what earlier rules claimed stay, in place of
/// the replacement's children of the same name.
/// </summary>
internal sealed class SubstituteTransform(SubstituteSettings settings) : NodeTransform
{
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    private readonly ConcurrentDictionary<Type, (Base? Template, string? Error)> _templates = new();

    public override void Apply(ElementNode node, ResourceAnonymization run)
    {
        var replaceWith = settings.ReplaceWith;
        if (node.Kind != PrimitiveKind.None)
        {
            if (!PrimitiveValues.TryFromJson(replaceWith, node.Kind, out var value))
            {
                throw new ProcessingFailure(replaceWith.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                    ? $"replaceWith is a JSON {replaceWith.ValueKind.ToString().ToLowerInvariant()}, and this is a {node.Value.TypeName}."
                    : $"replaceWith is not a valid {node.Value.TypeName}.");
            }

            node.SetValue(value);
            if (!node.IsRemoved)
            {
                node.ClaimAsPseudonym();
            }

            return;
        }

        if (node.IsNestedResource)
        {
            throw new ProcessingFailure("substitute replaces elements, and this is a resource.");
        }

        var (template, error) = _templates.GetOrAdd(node.Value.GetType(), Read, replaceWith);
        if (template is null)
        {
            throw new ProcessingFailure($"replaceWith is not a valid {node.Value.TypeName}: {error}");
        }

        Merge(node, template.DeepCopy());
        node.ClaimAsPseudonym();
    }

    private static void Merge(ElementNode node, Base replacement)
    {
        HashSet<string>? kept = null;
        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (!child.IsRemoved && (child.IsClaimed || child.HoldsClaimed))
            {
                (kept ??= new HashSet<string>(StringComparer.Ordinal)).Add(child.Name);
            }
        }

        for (var child = node.FirstChild; child is not null; child = child.NextSibling)
        {
            if (!child.IsRemoved && kept?.Contains(child.Name) != true)
            {
                node.Value[child.Name] = null!;
                child.Forget();
            }
        }

        foreach (var (name, value) in replacement.EnumerateElements().ToList())
        {
            if (kept?.Contains(name) != true)
            {
                node.Value[name] = value;
            }
        }
    }

    private static (Base?, string?) Read(Type type, JsonElement replaceWith)
    {
        if (replaceWith.ValueKind != JsonValueKind.Object)
        {
            return (null, $"a complex element takes a JSON object, not a JSON {replaceWith.ValueKind.ToString().ToLowerInvariant()}.");
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(replaceWith.GetRawText()));
        return Deserializer.TryDeserializeObject(type, ref reader, out var template, out var errors)
            ? (template, null)
            : (null, errors.FirstOrDefault()?.Message ?? "it cannot be read as FHIR JSON.");
    }
}
