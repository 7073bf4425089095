using System.Security.Cryptography;
using System.Text.Json;
using Impress.Fhir.Api.Export;

namespace Impress.Fhir.Cli.Serve;

/// <summary>
/// The de-identification keys of a server that was given none: made once, at random, and kept in the data
/// directory (<c>secrets/export-keys.json</c>, readable by its owner only), so pseudonyms stay the same from one
/// export and one restart to the next. A site that runs several servers, or wants the keys in a vault, sets
/// <c>Export:Keys</c> instead.
/// </summary>
internal static class ExportKeyFile
{
    public const string FileName = "export-keys.json";

    /// <summary>The keys as configuration settings, read from the file or made and written to it.</summary>
    public static IReadOnlyDictionary<string, string?> LoadOrCreate(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "secrets");
        var path = Path.Combine(directory, FileName);
        ExportKeyOptions keys;
        if (File.Exists(path))
        {
            keys = JsonSerializer.Deserialize<ExportKeyOptions>(File.ReadAllBytes(path))
                ?? throw new InvalidOperationException($"{path} holds no export keys.");
        }
        else
        {
            keys = new ExportKeyOptions
            {
                CryptoHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                DateShiftKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                EncryptKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),   // 32 characters: an AES-256 key
            };
            Directory.CreateDirectory(directory);
            var partial = path + ".partial";
            File.WriteAllBytes(partial, JsonSerializer.SerializeToUtf8Bytes(keys));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(partial, path);
        }

        const string Keys = $"{ExportOptions.Section}:{nameof(ExportOptions.Keys)}:";
        return new Dictionary<string, string?>
        {
            [Keys + nameof(ExportKeyOptions.CryptoHashKey)] = keys.CryptoHashKey,
            [Keys + nameof(ExportKeyOptions.DateShiftKey)] = keys.DateShiftKey,
            [Keys + nameof(ExportKeyOptions.EncryptKey)] = keys.EncryptKey,
        };
    }
}
