using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Impress.Fhir.Profiles;

/// <summary>
/// The conformance resources of the FHIR core specification (StructureDefinitions, ValueSets, CodeSystems)
/// stored as one file of JSON documents and an index of canonical url to byte range.
/// </summary>
/// <remarks>
/// Built once per machine and SDK version from the SDK's <c>specification.zip</c> (a few seconds) into a cache
/// folder, the way the SDK itself unpacks that zip into a temporary folder. Building writes to a fresh folder and
/// renames it into place, so concurrent first runs never see half a pack.
/// </remarks>
public sealed class CoreSpecificationPack
{
    private const string PackFileName = "core.pack";
    private const string IndexFileName = "core.index";

    /// <summary>The bundles of specification.zip that hold what validation and snapshot generation resolve.</summary>
    private static readonly string[] SourceBundles =
    [
        "profiles-types.xml",
        "profiles-resources.xml",
        "profiles-others.xml",
        "extension-definitions.xml",
        "valuesets.xml",
        "v3-codesystems.xml",
        "v2-tables.xml",
    ];

    private readonly string _packPath;
    private readonly Dictionary<string, (long Offset, int Length)> _index;

    private CoreSpecificationPack(string directory, Dictionary<string, (long, int)> index)
    {
        Directory = directory;
        _packPath = Path.Combine(directory, PackFileName);
        _index = index;
    }

    /// <summary>The folder holding the pack.</summary>
    public string Directory { get; }

    /// <summary>How many canonical resources the pack holds.</summary>
    public int Count => _index.Count;

    /// <summary>Whether the pack holds a resource with this canonical url (without version).</summary>
    public bool Contains(string canonicalUrl) => _index.ContainsKey(canonicalUrl);

    /// <summary>The JSON of the resource with this canonical url, or null when the core specification has none.</summary>
    public byte[]? Read(string canonicalUrl)
    {
        if (!_index.TryGetValue(canonicalUrl, out var range))
        {
            return null;
        }

        var buffer = new byte[range.Length];
        using var handle = File.OpenHandle(_packPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        RandomAccess.Read(handle, buffer, range.Offset);
        return buffer;
    }

    /// <summary>
    /// Opens the pack for the specification.zip beside the running program, building it first if this machine has
    /// none yet. The cache folder is <c>IMPRESS_CACHE_DIR</c>, else <c>XDG_CACHE_HOME</c>/impress-fhir, else
    /// ~/.cache/impress-fhir.
    /// </summary>
    public static CoreSpecificationPack OpenOrBuild(string? specificationZip = null, string? cacheRoot = null)
    {
        specificationZip ??= Path.Combine(AppContext.BaseDirectory, "specification.zip");
        if (!File.Exists(specificationZip))
        {
            throw new FileNotFoundException(
                "The FHIR core specification (specification.zip from Hl7.Fhir.Specification.Data.R4) was not found beside the program.",
                specificationZip);
        }

        var directory = Path.Combine(cacheRoot ?? DefaultCacheRoot(), PackFolderName(specificationZip));
        var index = TryReadIndex(directory);
        if (index is null)
        {
            Build(specificationZip, directory);
            index = TryReadIndex(directory) ?? throw new IOException($"The core specification pack in {directory} could not be read after building it.");
        }

        return new CoreSpecificationPack(directory, index);
    }

    private static string DefaultCacheRoot()
    {
        var configured = Environment.GetEnvironmentVariable("IMPRESS_CACHE_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "impress-fhir");
    }

    /// <summary>One folder per SDK version and zip, so an upgraded SDK never reads a stale pack.</summary>
    private static string PackFolderName(string specificationZip)
    {
        var sdkVersion = typeof(ModelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = sdkVersion.IndexOf('+');
        if (plus > 0)
        {
            sdkVersion = sdkVersion[..plus];
        }

        return $"fhir-r4-core-{sdkVersion}-{new FileInfo(specificationZip).Length}";
    }

    private static Dictionary<string, (long, int)>? TryReadIndex(string directory)
    {
        var indexPath = Path.Combine(directory, IndexFileName);
        if (!File.Exists(indexPath) || !File.Exists(Path.Combine(directory, PackFileName)))
        {
            return null;
        }

        var index = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(indexPath))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3)
            {
                index[parts[0]] = (long.Parse(parts[1]), int.Parse(parts[2]));
            }
        }

        return index.Count > 0 ? index : null;
    }

    private static void Build(string specificationZip, string directory)
    {
        var parent = Path.GetDirectoryName(directory)!;
        System.IO.Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(staging);
        try
        {
            WritePack(specificationZip, staging);
            try
            {
                System.IO.Directory.Move(staging, directory);
            }
            catch (IOException) when (System.IO.Directory.Exists(directory))
            {
                // Another process finished the same pack first; theirs is as good as ours.
            }
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void WritePack(string specificationZip, string staging)
    {
        var xml = new FhirXmlDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Ostrich));
        var json = new FhirJsonSerializer();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        using var zip = ZipFile.OpenRead(specificationZip);
        using var pack = File.Create(Path.Combine(staging, PackFileName));
        using var index = new StreamWriter(Path.Combine(staging, IndexFileName), append: false, new UTF8Encoding(false));
        foreach (var name in SourceBundles)
        {
            var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"specification.zip has no {name}.");
            using var stream = entry.Open();
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true });
            var bundle = (Bundle)xml.DeserializeResource(reader);
            foreach (var resource in bundle.Entry.Select(e => e.Resource))
            {
                if (resource is not IConformanceResource { Url: { Length: > 0 } url } || !seen.Add(url))
                {
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes(json.SerializeToString(resource));
                index.Write(url);
                index.Write('\t');
                index.Write(pack.Position);
                index.Write('\t');
                index.Write(bytes.Length);
                index.Write('\n');
                pack.Write(bytes);
            }
        }
    }
}
