namespace Impress.Fhir.Export.Anonymization;

/// <summary>What a rule does to the elements its path selects: the methods of Microsoft's FHIR anonymizer.</summary>
public enum AnonymizationMethod
{
    /// <summary>Leaves the element as it is and protects it, and everything in it, from the rules after this one.</summary>
    Keep,

    /// <summary>Removes the element; the parameters may let a date keep its year, an age up to 89, a postal code its prefix.</summary>
    Redact,

    /// <summary>Moves dates by a keyed number of days that is the same across the date-shift scope, so intervals survive.</summary>
    DateShift,

    /// <summary>Replaces the value with its keyed HMAC-SHA256 (of a literal reference, only the id), a stable pseudonym.</summary>
    CryptoHash,

    /// <summary>Replaces the value with its AES-CBC encryption, which only the holder of the key can reverse.</summary>
    Encrypt,

    /// <summary>Replaces the value, or a whole complex element, with a fixed one from the policy.</summary>
    Substitute,

    /// <summary>Adds uniform random noise to a number or to a quantity's value.</summary>
    Perturb,

    /// <summary>Maps a primitive value to a coarser one by FHIRPath cases.</summary>
    Generalize,
}
