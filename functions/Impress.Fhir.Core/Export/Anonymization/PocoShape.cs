using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// What anonymization needs to know about a POCO class, worked out once per class: the FHIR elements it can hold, so a
/// walk asks for each by name (the SDK's <c>TryGetValue</c> is a switch, its <c>EnumerateElements</c> a chain of
/// iterators, one per base class, several times slower and allocating); its FHIRPath type; its kind of value.
/// </summary>
internal sealed class PocoShape
{
    private static readonly Lock Gate = new();
    private static Dictionary<Type, PocoShape> _shapes = [];

    private PocoShape(int id, Base sample)
    {
        Id = id;
        InstanceType = FhirTypeNames.InstanceTypeOf(sample);
        Kind = PrimitiveKinds.Of(sample);
        IsResource = sample is Resource;
        ElementNames = ModelInfo.ModelInspector.FindOrImportClassMapping(sample.GetType())?.PropertyMappings
            .Where(property => !property.RepresentsValueElement)
            .OrderBy(property => property.Order ?? int.MaxValue)
            .Select(property => property.Name)
            .ToArray() ?? [];
    }

    /// <summary>A small number, unique per class, for tables indexed by shape.</summary>
    public int Id { get; }

    /// <summary>The type <c>nodesByType</c> matches (BackboneElement for backbone elements).</summary>
    public string InstanceType { get; }

    public PrimitiveKind Kind { get; }

    public bool IsResource { get; }

    /// <summary>The names of the class's elements, the primitive value itself excluded.</summary>
    public IReadOnlyList<string> ElementNames { get; }

    /// <summary>The shape of the value's class. Reads take no lock: the table is replaced, never changed, when a class is added.</summary>
    public static PocoShape Of(Base value)
    {
        var type = value.GetType();
        if (_shapes.TryGetValue(type, out var shape))
        {
            return shape;
        }

        lock (Gate)
        {
            if (!_shapes.TryGetValue(type, out shape))
            {
                shape = new PocoShape(_shapes.Count, value);
                _shapes = new Dictionary<Type, PocoShape>(_shapes) { [type] = shape };
            }

            return shape;
        }
    }
}
