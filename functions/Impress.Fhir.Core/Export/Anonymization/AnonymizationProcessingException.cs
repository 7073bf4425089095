namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A rule that could not be applied to an element it selected (perturb on a code, a date that is not a date), raised
/// when the policy's <c>processingErrors</c> is "raise". The message names the rule and the element, never its value.
/// </summary>
public sealed class AnonymizationProcessingException : Exception
{
    public AnonymizationProcessingException(AnonymizationRule rule, string location, string reason, Exception? innerException = null)
        : base($"{rule} on {location}: {reason}", innerException)
    {
        Rule = rule;
        Location = location;
    }

    public AnonymizationRule Rule { get; }

    /// <summary>The element, as a FHIRPath with indexes, e.g. "Observation.component[2].value".</summary>
    public string Location { get; }
}
