namespace Impress.Fhir.Export.Anonymization;

/// <summary>Whether a perturb rule's span is an absolute amount or a fraction of the value.</summary>
public enum PerturbRangeType
{
    Fixed,
    Proportional,
}
