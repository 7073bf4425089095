using Impress.Fhir.Export.Anonymization;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// The de-identification policies an export may name with <c>_anonymizationConfig</c>: the shipped <c>registry</c>
/// and the files configured under <see cref="ExportOptions.Policies"/>, each completed with the configured keys.
/// Every policy is read and checked when the server starts, so a broken file or a missing key stops it there
/// rather than failing an export later.
/// </summary>
public sealed class ExportPolicies
{
    /// <summary>The shipped policy: the genomics kept, the person removed.</summary>
    public const string Registry = "registry";

    private readonly Dictionary<string, Anonymizer> _anonymizers = new(StringComparer.Ordinal);

    public ExportPolicies(ExportOptions options)
    {
        foreach (var (name, key) in new[] { ("CryptoHashKey", options.Keys.CryptoHashKey), ("DateShiftKey", options.Keys.DateShiftKey), ("EncryptKey", options.Keys.EncryptKey) })
        {
            // An App Service Key Vault reference that did not resolve stays in the setting as its own text: a key anyone can read.
            if (key is not null && key.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{ExportOptions.Section}:Keys:{name} is a Key Vault reference the platform did not resolve; create the secret and give the app's identity access to it.");
            }
        }

        var keys = new AnonymizationKeys(options.Keys.CryptoHashKey, options.Keys.DateShiftKey, options.Keys.EncryptKey);
        var policies = new List<AnonymizationPolicy> { AnonymizationPolicy.Registry };
        foreach (var (name, path) in options.Policies)
        {
            policies.Add(ReadFile(name, path));
        }

        foreach (var policy in policies)
        {
            try
            {
                _anonymizers[policy.Name] = new Anonymizer(policy.WithKeys(keys));
            }
            catch (AnonymizationPolicyException e)
            {
                throw new InvalidOperationException($"The de-identification policy '{policy.Name}' cannot be used: {e.Message} Set the keys under {ExportOptions.Section}:Keys.", e);
            }
        }
    }

    /// <summary>The names a client may give, in the order they are listed.</summary>
    public IReadOnlyCollection<string> Names => _anonymizers.Keys;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Anonymizer? anonymizer) => _anonymizers.TryGetValue(name, out anonymizer);

    /// <summary>The anonymizer of a policy a job was started with.</summary>
    /// <exception cref="InvalidOperationException">The policy is no longer configured.</exception>
    public Anonymizer Get(string name) =>
        TryGet(name, out var anonymizer) ? anonymizer : throw new InvalidOperationException($"The de-identification policy '{name}' is no longer configured.");

    /// <summary>Reads a policy file (also what <c>impress export --anonymization-config FILE</c> names).</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read or is not a policy; the message says which and why.</exception>
    public static AnonymizationPolicy ReadFile(string name, string path)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The de-identification policy '{name}' cannot be read from {path}: {e.Message}", e);
        }

        try
        {
            return AnonymizationPolicy.Parse(name, json);
        }
        catch (AnonymizationPolicyException e)
        {
            throw new InvalidOperationException($"{path} is not a de-identification policy: {e.Message}", e);
        }
    }
}
