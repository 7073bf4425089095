using System.Collections;
using System.Runtime.InteropServices;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A resource's elements, walked once: in document order, filed by the types and names the policy's rules look up, with
/// resources nested in it (contained, Bundle entries) as leaves, for they are anonymized as resources of their own. The
/// tree keeps its nodes and lists from one resource to the next, so a warm anonymizer allocates little.
/// </summary>
internal sealed class ResourceTree
{
    private readonly List<ElementNode> _nodes = [];
    private readonly List<ElementNode> _nestedResources = [];
    private List<ElementNode>[] _byType = [];
    private List<ElementNode>[] _byName = [];
    private readonly ElementNode[] _rootOnly = new ElementNode[1];
    private SelectionIndex _index = null!;
    private int _count;

    public ElementNode Root => _rootOnly[0];

    /// <summary>The root as a list, where a path starts from the resource.</summary>
    public IReadOnlyList<ElementNode> RootOnly => _rootOnly;

    /// <summary>Every element, the root first, each before the elements inside it.</summary>
    public ReadOnlySpan<ElementNode> Nodes => CollectionsMarshal.AsSpan(_nodes)[.._count];

    public IReadOnlyList<ElementNode> NestedResources => _nestedResources;

    /// <summary>Elements of the type in this slot (never the root: nodesByType finds descendants).</summary>
    public IReadOnlyList<ElementNode> OfType(int slot) => _byType[slot];

    /// <summary>Elements of the name in this slot.</summary>
    public IReadOnlyList<ElementNode> Named(int slot) => _byName[slot];

    public void Build(Resource resource, SelectionIndex index)
    {
        _index = index;
        _count = 0;
        _nestedResources.Clear();
        _byType = Reset(_byType, index.TypeSlots);
        _byName = Reset(_byName, index.NameSlots);
        _rootOnly[0] = Rent(resource, PocoShape.Of(resource), null, resource.TypeName, null);
        AddChildren(_rootOnly[0]);
    }

    /// <summary>Whether a rule before this one processed or removed the element, or an element around it.</summary>
    public static bool IsSettled(ElementNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current.IsClaimed || current.IsRemoved)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The element as an SDK FHIRPath node, for expressions the tree cannot answer by itself.</summary>
    public PocoNode PocoNodeOf(ElementNode node)
    {
        if (node.PocoNode is { } known)
        {
            return known;
        }

        PocoNode made;
        if (node.IsRoot)
        {
            made = node.Value.ToPocoNode();
        }
        else
        {
            made = PocoNodeOf(node.Parent!).Child(node.Name)?.FirstOrDefault(child => ReferenceEquals(child.Poco, node.Value))
                ?? throw new InvalidOperationException($"{node.Location} is no longer in the resource.");
        }

        node.PocoNode = made;
        return made;
    }

    /// <summary>The tree's node for an element a FHIRPath expression returned, or null for a value that is no element of this resource.</summary>
    public ElementNode? Find(PocoNode node)
    {
        if (node.Parent is not { } parentNode)
        {
            return ReferenceEquals(node.Poco, Root.Value) ? Root : null;
        }

        if (Find(parentNode) is not { } parent)
        {
            return null;
        }

        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
        {
            if (ReferenceEquals(child.Value, node.Poco))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>
    /// Asks the POCO for each element its class can have. A POCO with overflow (elements or values the SDK could not
    /// type) is walked with <see cref="Base.EnumerateElements"/>, which includes the overflow, so nothing escapes the rules.
    /// </summary>
    private void AddChildren(ElementNode parent)
    {
        var poco = parent.Value;
        if (poco.HasOverflow)
        {
            foreach (var (name, value) in poco.EnumerateElements())
            {
                AddElement(parent, name, value);
            }

            return;
        }

        var names = parent.Shape.ElementNames;
        for (var i = 0; i < names.Count; i++)
        {
            if (poco.TryGetValue(names[i], out var value))
            {
                AddElement(parent, names[i], value);
            }
        }
    }

    private void AddElement(ElementNode parent, string name, object value)
    {
        if (value is Base single)
        {
            Add(parent, name, single, null);
        }
        else if (value is IList list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is Base item)
                {
                    Add(parent, name, item, list);
                }
            }
        }
    }

    private void Add(ElementNode parent, string name, Base value, IList? list)
    {
        var shape = PocoShape.Of(value);
        var node = Rent(value, shape, parent, name, list);
        if (_byType.Length > 0 && _index.TypeSlotOf(shape) is >= 0 and var typeSlot)
        {
            _byType[typeSlot].Add(node);
        }

        if (_byName.Length > 0 && _index.NameSlotOf(name) is >= 0 and var nameSlot)
        {
            _byName[nameSlot].Add(node);
        }

        if (shape.IsResource)
        {
            _nestedResources.Add(node);
            return;
        }

        AddChildren(node);
    }

    private ElementNode Rent(Base value, PocoShape shape, ElementNode? parent, string name, IList? list)
    {
        if (_count == _nodes.Count)
        {
            _nodes.Add(new ElementNode());
        }

        var node = _nodes[_count++];
        node.Reset(value, shape, parent, name, list);
        return node;
    }

    private static List<ElementNode>[] Reset(List<ElementNode>[] lists, int slots)
    {
        if (lists.Length != slots)
        {
            lists = new List<ElementNode>[slots];
            for (var i = 0; i < slots; i++)
            {
                lists[i] = [];
            }
        }

        foreach (var list in lists)
        {
            list.Clear();
        }

        return lists;
    }
}
