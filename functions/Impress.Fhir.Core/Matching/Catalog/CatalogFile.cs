using System.Text.Json;
using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Catalog;

/// <summary>
/// The catalog as the trial office writes it (profiles/catalog/*.json): arms with their drugs, rule and cohorts in
/// one readable file. <see cref="CatalogStudies"/> turns it into the ResearchStudies the server stores and
/// exchanges; both read back to the same catalog.
/// </summary>
public static class CatalogFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CohortCatalog Read(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static CohortCatalog Parse(string json, string source)
    {
        using var document = ParseDocument(json, source);
        var root = document.RootElement;
        var arms = new List<Arm>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (element, index) in Array(root, "arms", source).Select((e, i) => (e, i)))
        {
            var where = $"{source}: arms[{index}]";
            var id = RequiredString(element, "id", where);
            if (!ids.Add(id))
            {
                throw new CatalogFormatException($"{where}: the arm id '{id}' appears twice.");
            }

            var rule = element.TryGetProperty("rule", out var ruleElement) ? ruleElement : throw new CatalogFormatException($"{where} ({id}): 'rule' is required.");
            ArmRule armRule;
            try
            {
                armRule = RuleReader.Read(rule);
            }
            catch (RuleFormatException e)
            {
                throw new CatalogFormatException($"{where} ({id}): rule {e.JsonPath}: {e.Problem}", e);
            }

            var drugs = Array(element, "drugs", where).Select(d => new Drug(RequiredString(d, "name", where), OptionalString(d, "atc"), OptionalString(d, "dosing"))).ToList();
            var cohorts = Array(element, "cohorts", where).Select(c => ReadCohort(c, id, where)).ToList();
            arms.Add(new Arm(id, RequiredString(element, "title", where), OptionalString(element, "ruleVersion") ?? "1", drugs, armRule, JsonSerializer.Serialize(rule, Indented), cohorts)
            {
                Biomarker = OptionalString(element, "biomarker"),
            });
        }

        return new CohortCatalog(RequiredString(root, "catalog", source), RequiredString(root, "version", source), arms,
            root.TryGetProperty("example", out var example) && example.ValueKind == JsonValueKind.True);
    }

    private static Cohort ReadCohort(JsonElement element, string armId, string where)
    {
        var id = RequiredString(element, "id", where + ".cohorts");
        where = $"{where} cohort {id}";
        var icd10 = Array(element, "icd10", where).Select(c => c.GetString() ?? throw new CatalogFormatException($"{where}: icd10 holds a non-string.")).ToList();
        if (icd10.Count == 0)
        {
            throw new CatalogFormatException($"{where}: a cohort names its tumour type's ICD-10 codes (icd10).");
        }

        int Count(string key) => element.TryGetProperty(key, out var value) && value.TryGetInt32(out var n) && n >= 0 ? n
            : element.TryGetProperty(key, out _) ? throw new CatalogFormatException($"{where}: '{key}' is not a count.") : 0;
        var accounting = new CohortAccounting(Count("enrolled"), Count("evaluated"), Count("benefit"));
        if (accounting.Evaluated > accounting.Enrolled || accounting.Benefit > accounting.Evaluated)
        {
            throw new CatalogFormatException($"{where}: evaluated ({accounting.Evaluated}) cannot exceed enrolled ({accounting.Enrolled}), nor benefit ({accounting.Benefit}) evaluated.");
        }

        var status = OptionalString(element, "status") ?? "active";
        return new Cohort(id, armId, OptionalString(element, "title") ?? id, RequiredString(element, "tumorType", where), icd10, status == "active", accounting);
    }

    private static JsonDocument ParseDocument(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new CatalogFormatException($"{source}: not JSON: {e.Message}", e);
        }
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string key, string where) =>
        !element.TryGetProperty(key, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList()
        : throw new CatalogFormatException($"{where}: '{key}' is not a list.");

    private static string RequiredString(JsonElement element, string key, string where) =>
        OptionalString(element, key) ?? throw new CatalogFormatException($"{where}: '{key}' is required.");

    private static string? OptionalString(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString()!.Trim() : null;
}
