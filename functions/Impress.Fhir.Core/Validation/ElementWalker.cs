using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation;

/// <summary>Finds every element of a type in a resource, with its FHIRPath relative to the resource.</summary>
public static class ElementWalker
{
    /// <summary>
    /// Yields each <typeparamref name="T"/> below <paramref name="root"/> with a path such as
    /// "component[1].valueCodeableConcept" rendered as FHIRPath ("component[1].value"). Contained resources are
    /// skipped: their references are local to the container.
    /// </summary>
    public static IEnumerable<(T Element, string Path)> Find<T>(Base root) where T : Base
    {
        var stack = new Stack<(Base Node, string Path)>();
        stack.Push((root, ""));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            foreach (var (name, value) in node.EnumerateElements())
            {
                if (name == "contained")
                {
                    continue;
                }

                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                switch (value)
                {
                    case T match:
                        yield return (match, childPath);
                        break;
                    case PrimitiveType:
                        break;
                    case Base child:
                        stack.Push((child, childPath));
                        break;
                    case IEnumerable<Base> list:
                        var i = 0;
                        foreach (var item in list)
                        {
                            var itemPath = $"{childPath}[{i++}]";
                            if (item is T listed)
                            {
                                yield return (listed, itemPath);
                            }
                            else if (item is not PrimitiveType)
                            {
                                stack.Push((item, itemPath));
                            }
                        }

                        break;
                }
            }
        }
    }
}
