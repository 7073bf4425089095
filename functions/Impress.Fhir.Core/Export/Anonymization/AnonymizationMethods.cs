namespace Impress.Fhir.Export.Anonymization;

/// <summary>The names of the methods as the configuration format spells them.</summary>
internal static class AnonymizationMethods
{
    public static IReadOnlyList<string> Names { get; } =
        ["keep", "redact", "dateShift", "cryptoHash", "encrypt", "substitute", "perturb", "generalize"];

    public static string NameOf(AnonymizationMethod method) => Names[(int)method];

    /// <summary>Methods are matched without regard to case, as the format's own samples write "dateshift".</summary>
    public static bool TryParse(string name, out AnonymizationMethod method)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                method = (AnonymizationMethod)i;
                return true;
            }
        }

        method = default;
        return false;
    }
}
