namespace Impress.Fhir.Export.Anonymization;

/// <summary>One case of a generalize rule: where <paramref name="Condition"/> holds, the value becomes <paramref name="Value"/>.</summary>
/// <param name="Condition">A FHIRPath expression on the value (<c>$this</c>), true for the values this case maps.</param>
/// <param name="Value">A FHIRPath expression giving the generalized value, e.g. <c>'en'</c> or <c>($this div 10) * 10</c>.</param>
public sealed record GeneralizeCase(string Condition, string Value);
