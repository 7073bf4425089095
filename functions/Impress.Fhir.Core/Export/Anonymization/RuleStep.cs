namespace Impress.Fhir.Export.Anonymization;

/// <summary>A rule as it runs on one resource type: its path specialised to the type, and its method.</summary>
internal sealed record RuleStep(AnonymizationRule Rule, NodeSelector Selector, NodeTransform Transform);
