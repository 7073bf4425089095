namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// A named, parsed configuration in the format of Microsoft's FHIR Tools for Anonymization: ordered <c>fhirPathRules</c>,
/// <c>parameters</c>, <c>processingErrors</c>, plus this server's extensions (the <c>patient</c> date-shift scope and the
/// national id and name scrub). Reading is strict: an unknown or misplaced setting is refused by name, for a typo must
/// never quietly weaken a policy. Every path is compiled here, once.
/// </summary>
public sealed class AnonymizationPolicy
{
    /// <summary>The resource name of the shipped policy inside this assembly.</summary>
    private const string RegistryResource = "Impress.Fhir.Export.Anonymization.Policies.registry.json";

    private static readonly Lazy<AnonymizationPolicy> LazyRegistry = new(ReadRegistry);

    internal AnonymizationPolicy(string name, IReadOnlyList<AnonymizationRule> rules, AnonymizationParameters parameters, ProcessingErrorMode processingErrors, SelectionIndex index)
    {
        Name = name;
        Rules = rules;
        Parameters = parameters;
        ProcessingErrors = processingErrors;
        Index = index;
    }

    public string Name { get; }

    /// <summary>The rules, in the order they apply.</summary>
    public IReadOnlyList<AnonymizationRule> Rules { get; }

    public AnonymizationParameters Parameters { get; }

    public ProcessingErrorMode ProcessingErrors { get; }

    /// <summary>
    /// The shipped policy "registry": what a cancer registry or a researcher needs (the genomic findings, codes, the
    /// trial's studies and the hospital) without what identifies the person. Its keys are empty: give them with
    /// <see cref="WithKeys"/>. The file is <c>Export/Anonymization/Policies/registry.json</c> in the Core project, to copy
    /// and adapt; its README explains every rule.
    /// </summary>
    public static AnonymizationPolicy Registry => LazyRegistry.Value;

    /// <summary>The selection index the rules' paths were compiled against.</summary>
    internal SelectionIndex Index { get; }

    /// <summary>
    /// Reads a policy. Throws <see cref="AnonymizationPolicyException"/> whose message names the element at fault, e.g.
    /// "fhirPathRules[2].method: 'hash' is not an anonymization method (keep, redact, ...)".
    /// </summary>
    public static AnonymizationPolicy Parse(string name, ReadOnlySpan<byte> json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return PolicyReader.Read(name, json);
    }

    /// <summary>
    /// The policy with the keys from configuration filling those the file leaves empty (keys never live in the
    /// repository; the shipped file has none). A key the file sets is kept.
    /// </summary>
    public AnonymizationPolicy WithKeys(AnonymizationKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var parameters = Parameters with
        {
            CryptoHashKey = OrElse(Parameters.CryptoHashKey, keys.CryptoHashKey),
            DateShiftKey = OrElse(Parameters.DateShiftKey, keys.DateShiftKey),
            EncryptKey = OrElse(Parameters.EncryptKey, keys.EncryptKey),
        };
        return new AnonymizationPolicy(Name, Rules, parameters, ProcessingErrors, Index);
    }

    public override string ToString() => $"{Name} ({Rules.Count} rules)";

    private static string? OrElse(string? fromFile, string? fromConfiguration) => string.IsNullOrEmpty(fromFile) ? fromConfiguration : fromFile;

    private static AnonymizationPolicy ReadRegistry()
    {
        using var stream = typeof(AnonymizationPolicy).Assembly.GetManifestResourceStream(RegistryResource)
            ?? throw new InvalidOperationException($"The assembly has no resource {RegistryResource}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Parse("registry", memory.ToArray());
    }
}
