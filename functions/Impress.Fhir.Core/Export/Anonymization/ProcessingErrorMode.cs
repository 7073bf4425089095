namespace Impress.Fhir.Export.Anonymization;

/// <summary>What happens when a rule cannot be applied to an element it selects (the <c>processingErrors</c> setting).</summary>
public enum ProcessingErrorMode
{
    /// <summary>Fail with an <see cref="AnonymizationProcessingException"/> naming the rule and the element.</summary>
    Raise,

    /// <summary>Leave that element as it is; later rules may still process it.</summary>
    Keep,

    /// <summary>Emit, instead of the resource, an empty one of its type labelled REDACTED.</summary>
    Skip,
}
