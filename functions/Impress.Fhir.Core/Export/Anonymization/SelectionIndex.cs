using System.Collections.Frozen;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The types and element names a policy's <c>nodesByType</c> and <c>nodesByName</c> ask for, each given a slot, so one
/// walk over a resource files every element its rules will look up, and each lookup is a list read.
/// </summary>
internal sealed class SelectionIndex
{
    /// <summary>No slot worked out yet for a shape in <see cref="_typeSlotsByShape"/>.</summary>
    private const int Unknown = -2;

    private readonly FrozenDictionary<string, int> _typeSlots;
    private readonly FrozenDictionary<string, int> _nameSlots;
    private readonly Lock _gate = new();
    private int[] _typeSlotsByShape = [];

    private SelectionIndex(Dictionary<string, int> typeSlots, Dictionary<string, int> nameSlots)
    {
        _typeSlots = typeSlots.ToFrozenDictionary(StringComparer.Ordinal);
        _nameSlots = nameSlots.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int TypeSlots => _typeSlots.Count;

    public int NameSlots => _nameSlots.Count;

    /// <summary>
    /// The slot of the shape's FHIR type, or -1 when no rule asks for it: looked up once per class, then read from an
    /// array that is replaced, never changed, when a class is added.
    /// </summary>
    public int TypeSlotOf(PocoShape shape)
    {
        var slots = _typeSlotsByShape;
        if (shape.Id < slots.Length && slots[shape.Id] != Unknown)
        {
            return slots[shape.Id];
        }

        lock (_gate)
        {
            slots = _typeSlotsByShape;
            if (shape.Id >= slots.Length)
            {
                var grown = new int[Math.Max(shape.Id + 1, slots.Length * 2)];
                Array.Fill(grown, Unknown);
                slots.CopyTo(grown, 0);
                slots = grown;
            }
            else
            {
                slots = (int[])slots.Clone();
            }

            slots[shape.Id] = _typeSlots.TryGetValue(shape.InstanceType, out var slot) ? slot : -1;
            _typeSlotsByShape = slots;
            return slots[shape.Id];
        }
    }

    public int NameSlotOf(string name) => _nameSlots.TryGetValue(name, out var slot) ? slot : -1;

    /// <summary>Collects the slots while a policy's paths are compiled.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<string, int> _typeSlots = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _nameSlots = new(StringComparer.Ordinal);

        public int TypeSlot(string typeName) => SlotOf(_typeSlots, typeName);

        public int NameSlot(string name) => SlotOf(_nameSlots, name);

        public SelectionIndex Build() => new(_typeSlots, _nameSlots);

        private static int SlotOf(Dictionary<string, int> slots, string key)
        {
            if (!slots.TryGetValue(key, out var slot))
            {
                slot = slots.Count;
                slots.Add(key, slot);
            }

            return slot;
        }
    }
}
