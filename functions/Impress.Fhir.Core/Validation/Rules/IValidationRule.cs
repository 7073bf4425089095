namespace Impress.Fhir.Validation.Rules;

/// <summary>A check the profiles cannot express, run in code over the whole validated instance.</summary>
public interface IValidationRule
{
    /// <summary>The rule's code in the validation-rule CodeSystem, e.g. "fnr-check-digits".</summary>
    string Id { get; }

    void Check(ValidationTarget target, ICollection<ValidationIssue> issues);
}
