namespace Impress.Fhir.Matching.Rules;

/// <summary>A rule document that is not rule language v1, with the JSON path of the part at fault.</summary>
public sealed class RuleFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>Where in the document, as a JSON path ("$.biomarker.any[1].variant.category").</summary>
    public string JsonPath { get; } = path;

    public string Problem { get; } = problem;
}
