using System.Text;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// A binding check that remembers the coded values that passed it without any issue, and passes them again
/// without asking the terminology service.
/// </summary>
/// <remarks>
/// The validator calls the terminology service synchronously through Task.Run, a thread-pool hop for every coded
/// element; a report has hundreds of them and few distinct codes. The outcome of a binding check depends only on
/// the coded value (its codes, displays and text) and the bound value set, which this instance stands for.
/// </remarks>
internal sealed class RememberingBindingValidator(BindingValidator inner) : IValidatable
{
    /// <summary>Bounded: distinct codes are few, and hostile input must not make them many.</summary>
    private readonly BoundedKeySet _passed = new(capacity: 10_000);

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state)
    {
        var key = KeyOf(input.Poco);
        if (key is not null && _passed.Contains(key))
        {
            return ResultReport.SUCCESS;
        }

        var result = ((IValidatable)inner).Validate(input, vc, state);
        if (key is not null && result.IsSuccessful && result.Evidence.Count == 0)
        {
            _passed.Add(key);
        }

        return result;
    }

    public JToken ToJson() => inner.ToJson();

    /// <summary>What the binding check looks at, or null for a value this does not know how to key.</summary>
    private static string? KeyOf(Base value)
    {
        switch (value)
        {
            case PrimitiveType primitive:
                return primitive.JsonValue is { } literal ? "p|" + literal : null;
            case Coding coding:
                return Append(new StringBuilder("c|"), coding).ToString();
            case CodeableConcept concept:
                var key = new StringBuilder("cc|").Append(concept.Text).Append('|');
                foreach (var coding in concept.Coding)
                {
                    Append(key, coding);
                }

                return key.ToString();
            default:
                return null;
        }
    }

    private static StringBuilder Append(StringBuilder key, Coding coding) => key
        .Append(coding.System).Append('\u001f')
        .Append(coding.Version).Append('\u001f')
        .Append(coding.Code).Append('\u001f')
        .Append(coding.Display).Append('\u001f')
        .Append(coding.UserSelected).Append('\u001e');
}
