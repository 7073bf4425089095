using System.Globalization;
using System.Text.Json;
using Impress.Fhir.Genomics;

namespace Impress.Fhir.Matching.Rules;

/// <summary>
/// Reads a rule document (rule language v1, documented in profiles/catalog/README.md). Everything is checked as it
/// is read, so a rule the trial office mistyped is refused with the JSON path of the mistake rather than matching
/// nobody (or everybody) in silence.
/// </summary>
public static partial class RuleReader
{
    public const string LanguageV1 = "impress-rule/1";

    private static readonly Dictionary<string, VariantKind[]> Categories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["snv"] = [VariantKind.Snv],
        ["mnv"] = [VariantKind.Mnv],
        ["indel"] = [VariantKind.Indel],
        ["small-variant"] = [VariantKind.Snv, VariantKind.Mnv, VariantKind.Indel],
        ["copy-number-gain"] = [VariantKind.CopyNumberGain],
        ["copy-number-loss"] = [VariantKind.CopyNumberLoss],
        ["fusion"] = [VariantKind.Fusion],
        ["splice-variant"] = [VariantKind.SpliceVariant],
        ["large-rearrangement"] = [VariantKind.LargeRearrangement],
    };

    public static ArmRule Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new RuleFormatException("$", $"not JSON: {e.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    public static ArmRule Read(JsonElement root)
    {
        var reader = new Node(root, "$");
        reader.ExpectObject();
        reader.Only("language", "biomarker", "eligibility", "exclusions", "description");
        var language = reader.RequiredString("language");
        if (language != LanguageV1)
        {
            throw new RuleFormatException("$.language", $"'{language}' is not a rule language this server reads ({LanguageV1}).");
        }

        var biomarker = ReadCriterion(reader.Required("biomarker"));
        var eligibility = reader.Optional("eligibility") is { } e ? ReadCriterion(e) : null;
        var exclusions = new List<Exclusion>();
        if (reader.Optional("exclusions") is { } list)
        {
            foreach (var item in list.Items())
            {
                item.ExpectObject();
                item.Only("when", "reason");
                exclusions.Add(new Exclusion(ReadCriterion(item.Required("when")), item.RequiredString("reason")));
            }
        }

        return new ArmRule(1, biomarker, eligibility, exclusions);
    }

    private static Criterion ReadCriterion(Node node)
    {
        node.ExpectObject();
        var keys = node.Keys().Where(k => k != "label").ToList();
        if (keys.Count != 1)
        {
            throw new RuleFormatException(node.Path, keys.Count == 0
                ? "a criterion needs one of all, any, not, variant, biallelicLoss, tmb, msi, gis, tumorType, age, ecog."
                : $"a criterion has one kind, this one has {string.Join(", ", keys)}.");
        }

        var label = node.OptionalString("label");
        var body = node.Required(keys[0]);
        Criterion criterion = keys[0] switch
        {
            "all" => new AllOf(Parts(body)),
            "any" => new AnyOf(Parts(body)),
            "not" => new Not(ReadCriterion(body)),
            "variant" => ReadVariant(body),
            "biallelicLoss" => ReadBiallelic(body),
            "tmb" => new TmbCriterion(Minimum(body, "min")),
            "msi" => ReadMsi(body),
            "gis" => new GisCriterion(Minimum(body, "min")),
            "tumorType" => ReadTumorType(body),
            "age" => ReadAge(body),
            "ecog" => ReadEcog(body),
            var other => throw new RuleFormatException(node.Path + "." + other, $"'{other}' is not a criterion (all, any, not, variant, biallelicLoss, tmb, msi, gis, tumorType, age, ecog)."),
        };
        return criterion with { Label = label };
    }

    private static List<Criterion> Parts(Node node)
    {
        var parts = node.Items().Select(ReadCriterion).ToList();
        return parts.Count > 0 ? parts : throw new RuleFormatException(node.Path, "needs at least one criterion.");
    }

    private static VariantCriterion ReadVariant(Node node)
    {
        node.ExpectObject();
        node.Only("gene", "genes", "category", "categories", "protein", "proteins", "consequence", "consequences", "exon", "exons", "partner", "partners", "foldChange", "copyNumber", "origin", "minAlleleFrequency");
        var categories = new List<VariantKind>();
        foreach (var (value, path) in node.Strings("category", "categories"))
        {
            categories.AddRange(Categories.TryGetValue(value, out var kinds) ? kinds
                : throw new RuleFormatException(path, $"'{value}' is not a variant category ({string.Join(", ", Categories.Keys)})."));
        }

        var proteins = node.Strings("protein", "proteins").Select(p => ProteinPattern.TryParse(p.Value, out var pattern) ? pattern!
            : throw new RuleFormatException(p.Path, $"'{p.Value}' is not a protein change such as p.V600E, or a residue such as p.V600.")).ToList();
        var consequences = node.Strings("consequence", "consequences").Select(c => ConsequenceClasses.IsClass(c.Value) || SequenceOntology.TryGetId(c.Value, out _) ? c.Value
            : throw new RuleFormatException(c.Path, $"'{c.Value}' is neither a Sequence Ontology consequence term nor {ConsequenceClasses.LossOfFunction} / {ConsequenceClasses.ProteinAltering}.")).ToList();
        var (minFold, maxFold) = Range(node, "foldChange");
        var (minCopies, maxCopies) = Range(node, "copyNumber");
        GenomicOrigin? origin = node.OptionalString("origin") switch
        {
            null => null,
            "somatic" => GenomicOrigin.Somatic,
            "germline" => GenomicOrigin.Germline,
            var other => throw new RuleFormatException(node.Path + ".origin", $"'{other}' is not somatic or germline."),
        };

        var criterion = new VariantCriterion
        {
            Genes = Genes(node.Strings("gene", "genes")),
            Categories = categories,
            Proteins = proteins,
            Consequences = consequences,
            Exons = node.Strings("exon", "exons").Select(e => e.Value).ToList(),
            Partners = Genes(node.Strings("partner", "partners")),
            MinFoldChange = minFold,
            MaxFoldChange = maxFold,
            MinCopyNumber = minCopies,
            MaxCopyNumber = maxCopies,
            Origin = origin,
            MinAlleleFrequency = node.Optional("minAlleleFrequency") is { } af ? af.Number(0, 1) : null,
        };
        if (criterion.Genes.Count == 0 && criterion.Partners.Count == 0)
        {
            throw new RuleFormatException(node.Path, "a variant criterion names its gene(s) (gene, genes) or fusion partners (partners).");
        }

        return criterion;
    }

    private static BiallelicLossCriterion ReadBiallelic(Node node)
    {
        node.ExpectObject();
        node.Only("gene", "genes");
        var genes = Genes(node.Strings("gene", "genes"));
        return genes.Count > 0 ? new BiallelicLossCriterion(genes) : throw new RuleFormatException(node.Path, "names the gene(s) (gene, genes).");
    }

    private static MsiCriterion ReadMsi(Node node)
    {
        node.ExpectObject();
        node.Only("status", "minPercentUnstable");
        if (node.Optional("minPercentUnstable") is { } percent)
        {
            return new MsiCriterion(percent.Number(0, 100));
        }

        return node.OptionalString("status") == "high" ? new MsiCriterion(null)
            : throw new RuleFormatException(node.Path, "an MSI criterion is {\"status\": \"high\"} (the lab's MSI-H call) or {\"minPercentUnstable\": N}.");
    }

    private static TumorTypeCriterion ReadTumorType(Node node)
    {
        node.ExpectObject();
        node.Only("icd10", "morphology");
        var icd10 = node.Strings("icd10").Select(c => Icd10Prefix().IsMatch(c.Value) ? c.Value.ToUpperInvariant()
            : throw new RuleFormatException(c.Path, $"'{c.Value}' is not an ICD-10 code or prefix such as C18 or C34.1.")).ToList();
        var morphology = node.Strings("morphology").Select(c => c.Value).ToList();
        return icd10.Count + morphology.Count > 0 ? new TumorTypeCriterion(icd10, morphology)
            : throw new RuleFormatException(node.Path, "names ICD-10 codes (icd10) or ICD-O-3 morphologies (morphology).");
    }

    private static AgeCriterion ReadAge(Node node)
    {
        node.ExpectObject();
        node.Only("min", "max");
        var min = node.Optional("min") is { } a ? (int)a.Number(0, 150) : (int?)null;
        var max = node.Optional("max") is { } b ? (int)b.Number(0, 150) : (int?)null;
        return min is null && max is null ? throw new RuleFormatException(node.Path, "gives min and/or max.") : new AgeCriterion(min, max);
    }

    private static EcogCriterion ReadEcog(Node node)
    {
        node.ExpectObject();
        node.Only("max");
        return new EcogCriterion((int)node.Required("max").Number(0, 5));
    }

    private static decimal Minimum(Node node, string key)
    {
        node.ExpectObject();
        node.Only(key);
        return node.Required(key).Number(0, decimal.MaxValue);
    }

    private static (decimal? Min, decimal? Max) Range(Node node, string key)
    {
        if (node.Optional(key) is not { } range)
        {
            return (null, null);
        }

        range.ExpectObject();
        range.Only("min", "max");
        var min = range.Optional("min")?.Number(0, decimal.MaxValue);
        var max = range.Optional("max")?.Number(0, decimal.MaxValue);
        return min is null && max is null ? throw new RuleFormatException(range.Path, "gives min and/or max.") : (min, max);
    }

    private static List<string> Genes(IEnumerable<(string Value, string Path)> genes) =>
        genes.Select(g => GeneSymbol().IsMatch(g.Value) ? g.Value.ToUpperInvariant() : throw new RuleFormatException(g.Path, $"'{g.Value}' is not a gene symbol.")).ToList();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z][0-9]{2}(\.[0-9A-Za-z]{1,4})?$")]
    private static partial System.Text.RegularExpressions.Regex Icd10Prefix();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex GeneSymbol();

    /// <summary>A JSON value and its path, with the checks rule documents need.</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        public void ExpectObject()
        {
            if (Element.ValueKind != JsonValueKind.Object)
            {
                throw new RuleFormatException(Path, $"expected an object, found {Element.ValueKind.ToString().ToLowerInvariant()}.");
            }
        }

        public IEnumerable<string> Keys() => Element.EnumerateObject().Select(p => p.Name);

        public void Only(params string[] allowed)
        {
            foreach (var property in Element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                {
                    throw new RuleFormatException($"{Path}.{property.Name}", $"'{property.Name}' is not allowed here (allowed: {string.Join(", ", allowed)}).");
                }
            }
        }

        public Node? Optional(string key) => Element.TryGetProperty(key, out var value) ? new Node(value, $"{Path}.{key}") : null;

        public Node Required(string key) => Optional(key) ?? throw new RuleFormatException(Path, $"'{key}' is required.");

        public string? OptionalString(string key) => Optional(key) is { } node
            ? node.Element.ValueKind == JsonValueKind.String ? node.Element.GetString() : throw new RuleFormatException(node.Path, "expected a string.")
            : null;

        public string RequiredString(string key) => OptionalString(key) ?? throw new RuleFormatException(Path, $"'{key}' is required.");

        public IEnumerable<Node> Items()
        {
            if (Element.ValueKind != JsonValueKind.Array)
            {
                throw new RuleFormatException(Path, "expected a list.");
            }

            var path = Path;
            return Element.EnumerateArray().Select((item, i) => new Node(item, $"{path}[{i}]")).ToList();
        }

        /// <summary>The strings under a singular key (one string) and its plural (a list).</summary>
        public IEnumerable<(string Value, string Path)> Strings(params string[] keys)
        {
            var values = new List<(string, string)>();
            foreach (var key in keys)
            {
                if (Optional(key) is not { } node)
                {
                    continue;
                }

                var items = node.Element.ValueKind == JsonValueKind.Array ? node.Items() : [node];
                foreach (var item in items)
                {
                    values.Add(item.Element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.Element.GetString())
                        ? (item.Element.GetString()!.Trim(), item.Path)
                        : throw new RuleFormatException(item.Path, "expected a non-empty string."));
                }
            }

            return values;
        }

        public decimal Number(decimal min, decimal max)
        {
            if (Element.ValueKind != JsonValueKind.Number || !Element.TryGetDecimal(out var value))
            {
                throw new RuleFormatException(Path, "expected a number.");
            }

            return value >= min && value <= max ? value
                : throw new RuleFormatException(Path, $"{value.ToString(CultureInfo.InvariantCulture)} is outside {min.ToString(CultureInfo.InvariantCulture)}-{(max == decimal.MaxValue ? "∞" : max.ToString(CultureInfo.InvariantCulture))}.");
        }
    }
}
