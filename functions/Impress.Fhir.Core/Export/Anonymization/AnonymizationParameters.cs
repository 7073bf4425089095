using System.Text;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// The <c>parameters</c> section of a policy: the keys and the settings that change how the methods behave everywhere.
/// </summary>
public sealed record AnonymizationParameters
{
    /// <summary>The key date shifts are derived from; required by a policy with a dateShift rule.</summary>
    public string? DateShiftKey { get; init; }

    public DateShiftScope DateShiftScope { get; init; } = DateShiftScope.Resource;

    /// <summary>The HMAC-SHA256 key of cryptoHash; required by a policy with a cryptoHash rule.</summary>
    public string? CryptoHashKey { get; init; }

    /// <summary>The AES key of encrypt (16, 24 or 32 bytes of UTF-8); required by a policy with an encrypt rule.</summary>
    public string? EncryptKey { get; init; }

    /// <summary>Redacting an Age keeps it when it is at most 89 years (HIPAA Safe Harbor's threshold).</summary>
    public bool EnablePartialAgesForRedact { get; init; }

    /// <summary>Redacting a date, dateTime or instant keeps its year, unless the date implies an age over 89.</summary>
    public bool EnablePartialDatesForRedact { get; init; }

    /// <summary>Redacting a postal code keeps its first three characters and zeroes the other digits.</summary>
    public bool EnablePartialZipCodesForRedact { get; init; }

    /// <summary>Postal code prefixes of areas too small to keep: every digit of such a code is zeroed.</summary>
    public IReadOnlyList<string> RestrictedZipCodeTabulationAreas { get; init; } = [];

    /// <summary>
    /// Not in Microsoft's format: after the rules, every 11-digit number left in a string that is a valid fødselsnummer or
    /// D-number (check digits and date) becomes "[national id]", wherever a hospital typed it (free text, a filename).
    /// </summary>
    public bool ScrubNationalIdentityNumbers { get; init; }

    /// <summary>
    /// Not in Microsoft's format: after the rules, every whole-word occurrence of the subject's names left in a string
    /// becomes "[name]".
    /// </summary>
    public bool ScrubPatientNames { get; init; }

    /// <summary>Whether the scrub after the rules has anything to do.</summary>
    internal bool Scrubs => ScrubNationalIdentityNumbers || ScrubPatientNames;

    /// <summary>Says which keys are set, never what they are: records print their members, and logs must not hold keys.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"DateShiftKey = {AnonymizationKeys.Describe(DateShiftKey)}, DateShiftScope = {DateShiftScope}, ");
        builder.Append($"CryptoHashKey = {AnonymizationKeys.Describe(CryptoHashKey)}, EncryptKey = {AnonymizationKeys.Describe(EncryptKey)}, ");
        builder.Append($"EnablePartialAgesForRedact = {EnablePartialAgesForRedact}, EnablePartialDatesForRedact = {EnablePartialDatesForRedact}, ");
        builder.Append($"EnablePartialZipCodesForRedact = {EnablePartialZipCodesForRedact}, ");
        builder.Append($"RestrictedZipCodeTabulationAreas = [{string.Join(", ", RestrictedZipCodeTabulationAreas)}], ");
        builder.Append($"ScrubNationalIdentityNumbers = {ScrubNationalIdentityNumbers}, ScrubPatientNames = {ScrubPatientNames}");
        return true;
    }
}
