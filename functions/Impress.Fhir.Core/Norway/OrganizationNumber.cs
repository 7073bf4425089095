namespace Impress.Fhir.Norway;

/// <summary>
/// A checked Norwegian organisation number (Enhetsregisteret): nine digits, the last a mod-11 check digit over the
/// first eight with weights 3, 2, 7, 6, 5, 4, 3, 2. Hospitals and their labs are identified by it.
/// </summary>
public readonly record struct OrganizationNumber
{
    private static readonly int[] Weights = [3, 2, 7, 6, 5, 4, 3, 2];

    private OrganizationNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>Reads <paramref name="text"/> (spaces allowed, as in "993 467 049"); false when it is not a valid number.</summary>
    public static bool TryParse(string? text, out OrganizationNumber number)
    {
        number = default;
        var digits = text?.Replace(" ", "", StringComparison.Ordinal);
        if (digits is not { Length: 9 } || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (digits[i] - '0') * Weights[i];
        }

        var check = 11 - (sum % 11);
        if (check == 10 || (check == 11 ? 0 : check) != digits[8] - '0')
        {
            return false;
        }

        number = new OrganizationNumber(digits);
        return true;
    }

    public override string ToString() => Value;
}
