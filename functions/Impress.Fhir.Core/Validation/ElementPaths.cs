using System.Text;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Validation;

/// <summary>
/// Turns the validator's element locations into plain FHIRPath: it writes "[0]" after every element, repeating or
/// not ("DiagnosticReport.code[0].coding[0]"); a reader expects it only where the element repeats
/// ("DiagnosticReport.code.coding[0]"), as our own rules write them.
/// </summary>
public static class ElementPaths
{
    public static string Normalize(string path)
    {
        var segments = path.Split('.');
        var mapping = ModelInfo.ModelInspector.FindClassMapping(segments[0]);
        if (mapping is null)
        {
            return path;
        }

        var result = new StringBuilder(segments[0]);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var bracket = segment.IndexOf('[');
            var name = bracket < 0 ? segment : segment[..bracket];
            var property = mapping?.FindMappedElementByName(name);

            result.Append('.');
            result.Append(property is { IsCollection: false } && segment.EndsWith("[0]", StringComparison.Ordinal) ? name : segment);

            // Below a choice or a resource the concrete type is not in the path; leave the rest as it is.
            mapping = property is null || property.Choice != ChoiceType.None
                ? null
                : ModelInfo.ModelInspector.FindClassMapping(property.ImplementingType);
            if (mapping is null || mapping.IsResource)
            {
                result.Append(string.Concat(segments[(i + 1)..].Select(s => "." + s)));
                break;
            }
        }

        return result.ToString();
    }
}
