using Hl7.Fhir.Model;

namespace Impress.Fhir.Testing;

/// <summary>Walks a POCO's elements, for tests that look at everything a resource holds (its references, its strings).</summary>
public static class FhirTree
{
    /// <summary>Every element below <paramref name="node"/>, depth first, repeats included.</summary>
    public static IEnumerable<Base> Descendants(Base node)
    {
        foreach (var (_, value) in node.EnumerateElements())
        {
            var children = value switch
            {
                Base single => [single],
                IEnumerable<Base> list => list,
                _ => [],
            };
            foreach (var child in children)
            {
                yield return child;
                foreach (var descendant in Descendants(child))
                {
                    yield return descendant;
                }
            }
        }
    }
}
