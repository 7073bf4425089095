using System.Collections;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// One element of the resource being anonymized: its POCO, where it sits (so it can be removed), and what the rules have
/// done to it so far. Nodes are pooled by their <see cref="ResourceTree"/> and reused from one resource to the next.
/// </summary>
internal sealed class ElementNode
{
    private NodeState _state;
    private ElementNode? _lastChild;
    private int _attachedChildren;

    public Base Value { get; private set; } = null!;

    public ElementNode? Parent { get; private set; }

    /// <summary>The element's name as FHIRPath navigates it ("value" for value[x]).</summary>
    public string Name { get; private set; } = "";

    /// <summary>The list holding <see cref="Value"/> when the element repeats; null for a single element.</summary>
    public IList? List { get; private set; }

    public PocoShape Shape { get; private set; } = null!;

    public PrimitiveKind Kind => Shape.Kind;

    public ElementNode? FirstChild { get; private set; }

    public ElementNode? NextSibling { get; private set; }

    public bool IsRoot => Parent is null;

    /// <summary>A rule processed this element and everything in it: no later rule touches them.</summary>
    public bool IsClaimed => (_state & NodeState.Claimed) != 0;

    /// <summary>Something inside this element is claimed, so a redaction must not remove it whole.</summary>
    public bool HoldsClaimed => (_state & NodeState.HoldsClaimed) != 0;

    public bool IsRemoved => (_state & NodeState.Removed) != 0;

    /// <summary>A keep rule claimed the element: resources nested in it are emitted as they are, too.</summary>
    public bool IsKept => (_state & NodeState.Kept) != 0;

    /// <summary>The value is a pseudonym, a ciphertext or a policy constant: the scrub leaves it alone.</summary>
    public bool IsPseudonym => (_state & NodeState.Pseudonym) != 0;

    /// <summary>A resource inside this one (contained, a Bundle entry): its elements are anonymized as a resource of its own.</summary>
    public bool IsNestedResource => !IsRoot && Shape.IsResource;

    /// <summary>Set during the scrub: the element is removed, or inside something the scrub leaves alone.</summary>
    public bool IsOutOfScrub => (_state & NodeState.OutOfScrub) != 0;

    /// <summary>The element as an SDK FHIRPath node, made when a FHIRPath expression first needs it.</summary>
    public PocoNode? PocoNode { get; set; }

    public void Reset(Base value, PocoShape shape, ElementNode? parent, string name, IList? list)
    {
        Value = value;
        Shape = shape;
        Parent = parent;
        Name = name;
        List = list;
        FirstChild = null;
        NextSibling = null;
        PocoNode = null;
        _lastChild = null;
        _attachedChildren = 0;
        _state = NodeState.None;
        parent?.Append(this);
    }

    /// <summary>Marks the element processed, and its ancestors as holding something processed.</summary>
    public void Claim()
    {
        _state |= NodeState.Claimed;
        for (var ancestor = Parent; ancestor is not null && !ancestor.HoldsClaimed; ancestor = ancestor.Parent)
        {
            ancestor._state |= NodeState.HoldsClaimed;
        }
    }

    public void ClaimAsKept()
    {
        Claim();
        _state |= NodeState.Kept;
    }

    public void ClaimAsPseudonym()
    {
        Claim();
        _state |= NodeState.Pseudonym;
    }

    public void MarkOutOfScrub() => _state |= NodeState.OutOfScrub;

    /// <summary>Sets a primitive's value; null removes the value, and the element with it unless it still has children.</summary>
    public void SetValue(object? value)
    {
        ((PrimitiveType)Value).JsonValue = value;
        if (value is null && IsEmpty && !IsRoot)
        {
            Remove();
        }
    }

    /// <summary>Removes the element from the resource, and the ancestors it leaves empty (an empty element is not FHIR).</summary>
    public void Remove()
    {
        Detach();
        for (var ancestor = Parent; ancestor is { IsRoot: false, IsEmpty: true }; ancestor = ancestor.Parent)
        {
            ancestor.Detach();
        }
    }

    /// <summary>Removes a complex element whose content redaction left empty.</summary>
    public void RemoveIfEmpty()
    {
        if (!IsRoot && !IsRemoved && IsEmpty)
        {
            Remove();
        }
    }

    /// <summary>
    /// Marks the element gone from the tree when its parent's content was replaced wholesale (substitution), so the
    /// POCO no longer holds it.
    /// </summary>
    public void Forget()
    {
        _state |= NodeState.Removed;
        Parent!._attachedChildren--;
    }

    /// <summary>Puts another POCO in the element's place (a skipped nested resource's stand-in).</summary>
    public void Replace(Base value)
    {
        if (List is { } list)
        {
            list[IndexInList()] = value;
        }
        else
        {
            Parent!.Value[Name] = value;
        }

        Value = value;
    }

    /// <summary>Where the element is, as FHIRPath with the indexes of repeating elements, e.g. "Patient.name[1].given[0]".</summary>
    public string Location => IsRoot ? Value.TypeName : List is null ? $"{Parent!.Location}.{Name}" : $"{Parent!.Location}.{Name}[{IndexInList()}]";

    /// <summary>The element's position in its list now (removals before it move it up).</summary>
    public int IndexInList()
    {
        for (var i = 0; i < List!.Count; i++)
        {
            if (ReferenceEquals(List[i], Value))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsEmpty => _attachedChildren == 0 && !IsNestedResource && Value is not PrimitiveType { JsonValue: not null };

    private void Append(ElementNode child)
    {
        if (_lastChild is null)
        {
            FirstChild = child;
        }
        else
        {
            _lastChild.NextSibling = child;
        }

        _lastChild = child;
        _attachedChildren++;
    }

    private void Detach()
    {
        if (List is { } list)
        {
            var index = IndexInList();
            if (index >= 0)
            {
                list.RemoveAt(index);
            }
        }
        else
        {
            // The SDK's element setter takes null to mean "absent", though it is not annotated so.
            Parent!.Value[Name] = null!;
        }

        _state |= NodeState.Removed;
        Parent!._attachedChildren--;
    }

    [Flags]
    private enum NodeState : byte
    {
        None = 0,
        Claimed = 1,
        HoldsClaimed = 2,
        Removed = 4,
        Pseudonym = 8,
        OutOfScrub = 16,
        Kept = 32,
    }
}
