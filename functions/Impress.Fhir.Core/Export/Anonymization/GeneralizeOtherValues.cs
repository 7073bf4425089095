namespace Impress.Fhir.Export.Anonymization;

/// <summary>What a generalize rule does with a value that no case matches.</summary>
public enum GeneralizeOtherValues
{
    Redact,
    Keep,
}
