using System.Globalization;
using System.Text.Json;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Reads the JSON of a policy, strictly: every property must be one the format has, in the place it belongs, with a
/// value of its kind; every FHIRPath must compile. Syntax is read leniently (comments and trailing commas are
/// allowed, as in Microsoft's own samples). Every message starts with the element at fault.
/// </summary>
internal static class PolicyReader
{
    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private static readonly string[] PolicyProperties = ["fhirVersion", "processingErrors", "fhirPathRules", "parameters"];

    private static readonly string[] ParameterProperties =
    [
        "dateShiftKey", "dateShiftScope", "cryptoHashKey", "encryptKey", "enablePartialAgesForRedact", "enablePartialDatesForRedact",
        "enablePartialZipCodesForRedact", "restrictedZipCodeTabulationAreas", "scrubNationalIdentityNumbers", "scrubPatientNames",
    ];

    /// <summary>The settings a rule may have beyond path and method, with the one method that takes each.</summary>
    private static readonly Dictionary<string, AnonymizationMethod> MethodSettings = new(StringComparer.Ordinal)
    {
        ["replaceWith"] = AnonymizationMethod.Substitute,
        ["span"] = AnonymizationMethod.Perturb,
        ["rangeType"] = AnonymizationMethod.Perturb,
        ["roundTo"] = AnonymizationMethod.Perturb,
        ["cases"] = AnonymizationMethod.Generalize,
        ["otherValues"] = AnonymizationMethod.Generalize,
    };

    public static AnonymizationPolicy Read(string name, ReadOnlySpan<byte> json)
    {
        using var document = Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AnonymizationPolicyException("", $"A policy is a JSON object, not {Describe(root.ValueKind)}.");
        }

        CheckProperties(root, "", PolicyProperties, "a policy has fhirVersion, processingErrors, fhirPathRules and parameters");
        CheckFhirVersion(root);
        var processingErrors = Choice(root, "", "processingErrors", ProcessingErrorMode.Raise, ("raise", ProcessingErrorMode.Raise), ("keep", ProcessingErrorMode.Keep), ("skip", ProcessingErrorMode.Skip));
        var index = new SelectionIndex.Builder();
        var rules = ReadRules(root, index);
        var parameters = root.TryGetProperty("parameters", out var section) ? ReadParameters(section) : new AnonymizationParameters();
        return new AnonymizationPolicy(name, rules, parameters, processingErrors, index.Build());
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new AnonymizationPolicyException("", $"The policy is not valid JSON{where}.", e);
        }
    }

    private static void CheckFhirVersion(JsonElement root)
    {
        var version = OptionalString(root, "", "fhirVersion");
        if (!string.IsNullOrEmpty(version) && !string.Equals(version, "R4", StringComparison.OrdinalIgnoreCase))
        {
            throw new AnonymizationPolicyException("fhirVersion", $"fhirVersion: '{version}' is not supported; this server anonymizes FHIR R4 (write \"R4\" or leave it empty).");
        }
    }

    private static List<AnonymizationRule> ReadRules(JsonElement root, SelectionIndex.Builder index)
    {
        if (!root.TryGetProperty("fhirPathRules", out var list))
        {
            throw new AnonymizationPolicyException("fhirPathRules", "fhirPathRules is required: the rules, in the order they apply (an empty list keeps everything).");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new AnonymizationPolicyException("fhirPathRules", $"fhirPathRules must be an array of rules, not {Describe(list.ValueKind)}.");
        }

        var rules = new List<AnonymizationRule>();
        foreach (var element in list.EnumerateArray())
        {
            rules.Add(ReadRule(element, rules.Count, index));
        }

        return rules;
    }

    private static AnonymizationRule ReadRule(JsonElement element, int number, SelectionIndex.Builder index)
    {
        var at = $"fhirPathRules[{number}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AnonymizationPolicyException(at, $"{at} must be an object with path and method, not {Describe(element.ValueKind)}.");
        }

        CheckProperties(element, at, ["path", "method", .. MethodSettings.Keys],
            "a rule has path, method and, by method, replaceWith (substitute), span, rangeType, roundTo (perturb), cases and otherValues (generalize)");
        var path = RequiredString(element, at, "path");
        var methodName = RequiredString(element, at, "method");
        if (!AnonymizationMethods.TryParse(methodName, out var method))
        {
            throw new AnonymizationPolicyException($"{at}.method",
                $"{at}.method: '{methodName}' is not an anonymization method ({string.Join(", ", AnonymizationMethods.Names)}).");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (MethodSettings.TryGetValue(property.Name, out var owner) && owner != method)
            {
                throw new AnonymizationPolicyException($"{at}.{property.Name}",
                    $"{at}.{property.Name}: only {AnonymizationMethods.NameOf(owner)} rules take {property.Name}; this rule's method is {AnonymizationMethods.NameOf(method)}.");
            }
        }

        var selector = CompilePath(path, $"{at}.path", index);
        var (generalize, compiledCases) = method == AnonymizationMethod.Generalize ? ReadGeneralize(element, at) : (null, []);
        return new AnonymizationRule(number, path, method, selector)
        {
            Substitute = method == AnonymizationMethod.Substitute ? ReadSubstitute(element, at) : null,
            Perturb = method == AnonymizationMethod.Perturb ? ReadPerturb(element, at) : null,
            Generalize = generalize,
            CompiledCases = compiledCases,
        };
    }

    private static NodeSelector CompilePath(string path, string at, SelectionIndex.Builder index)
    {
        try
        {
            return RulePathCompiler.Compile(path, index);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new AnonymizationPolicyException(at, $"{at}: '{path}' is not valid FHIRPath: {e.Message}", e);
        }
    }

    private static SubstituteSettings ReadSubstitute(JsonElement rule, string at) =>
        rule.TryGetProperty("replaceWith", out var replaceWith)
            ? new SubstituteSettings(replaceWith.Clone())
            : throw new AnonymizationPolicyException($"{at}.replaceWith", $"{at}.replaceWith is required by a substitute rule: the value, or a JSON object for a complex element.");

    private static PerturbSettings ReadPerturb(JsonElement rule, string at)
    {
        if (!rule.TryGetProperty("span", out var spanElement))
        {
            throw new AnonymizationPolicyException($"{at}.span", $"{at}.span is required by a perturb rule: the width of the noise range.");
        }

        if (spanElement.ValueKind != JsonValueKind.Number || !spanElement.TryGetDecimal(out var span) || span < 0)
        {
            throw new AnonymizationPolicyException($"{at}.span", $"{at}.span must be a number of at least 0.");
        }

        var rangeType = Choice(rule, at, "rangeType", PerturbRangeType.Fixed, ("fixed", PerturbRangeType.Fixed), ("proportional", PerturbRangeType.Proportional));
        int? roundTo = null;
        if (rule.TryGetProperty("roundTo", out var roundElement) && roundElement.ValueKind != JsonValueKind.Null)
        {
            if (roundElement.ValueKind != JsonValueKind.Number || !roundElement.TryGetInt32(out var places) || places is < 0 or > 28)
            {
                throw new AnonymizationPolicyException($"{at}.roundTo", $"{at}.roundTo must be a whole number of decimal places from 0 to 28.");
            }

            roundTo = places;
        }

        return new PerturbSettings(span, rangeType, roundTo);
    }

    private static (GeneralizeSettings, IReadOnlyList<(CompiledExpression, CompiledExpression)>) ReadGeneralize(JsonElement rule, string at)
    {
        if (!rule.TryGetProperty("cases", out var casesElement) || casesElement.ValueKind != JsonValueKind.Object)
        {
            throw new AnonymizationPolicyException($"{at}.cases",
                $"{at}.cases is required by a generalize rule: an object from FHIRPath conditions to FHIRPath values, e.g. {{\"$this < 20\": \"20\"}}.");
        }

        var cases = new List<GeneralizeCase>();
        var compiled = new List<(CompiledExpression, CompiledExpression)>();
        foreach (var property in casesElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new AnonymizationPolicyException($"{at}.cases", $"{at}.cases: the value of '{property.Name}' must be a FHIRPath string, not {Describe(property.Value.ValueKind)}.");
            }

            var value = property.Value.GetString()!;
            cases.Add(new GeneralizeCase(property.Name, value));
            compiled.Add((CompileCase(property.Name, at), CompileCase(value, at)));
        }

        var otherValues = Choice(rule, at, "otherValues", GeneralizeOtherValues.Redact, ("redact", GeneralizeOtherValues.Redact), ("keep", GeneralizeOtherValues.Keep));
        return (new GeneralizeSettings(cases, otherValues), compiled);
    }

    private static CompiledExpression CompileCase(string expression, string at)
    {
        try
        {
            return RuleFhirPath.Compile(expression);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new AnonymizationPolicyException($"{at}.cases", $"{at}.cases: '{expression}' is not valid FHIRPath: {e.Message}", e);
        }
    }

    private static AnonymizationParameters ReadParameters(JsonElement section)
    {
        const string At = "parameters";
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new AnonymizationPolicyException(At, $"parameters must be an object, not {Describe(section.ValueKind)}.");
        }

        CheckProperties(section, At, ParameterProperties, $"the parameters are {string.Join(", ", ParameterProperties[..^1])} and {ParameterProperties[^1]}");
        return new AnonymizationParameters
        {
            DateShiftKey = OptionalString(section, At, "dateShiftKey"),
            DateShiftScope = Choice(section, At, "dateShiftScope", DateShiftScope.Resource,
                ("resource", DateShiftScope.Resource), ("file", DateShiftScope.File), ("folder", DateShiftScope.Folder), ("patient", DateShiftScope.Patient)),
            CryptoHashKey = OptionalString(section, At, "cryptoHashKey"),
            EncryptKey = OptionalString(section, At, "encryptKey"),
            EnablePartialAgesForRedact = Flag(section, At, "enablePartialAgesForRedact"),
            EnablePartialDatesForRedact = Flag(section, At, "enablePartialDatesForRedact"),
            EnablePartialZipCodesForRedact = Flag(section, At, "enablePartialZipCodesForRedact"),
            RestrictedZipCodeTabulationAreas = Strings(section, At, "restrictedZipCodeTabulationAreas"),
            ScrubNationalIdentityNumbers = Flag(section, At, "scrubNationalIdentityNumbers"),
            ScrubPatientNames = Flag(section, At, "scrubPatientNames"),
        };
    }

    /// <summary>Refuses properties the format does not have here, and any set twice (JSON allows it; which one wins is anyone's guess).</summary>
    private static void CheckProperties(JsonElement element, string at, IReadOnlyCollection<string> known, string expected)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var name = Join(at, property.Name);
            if (!known.Contains(property.Name))
            {
                throw new AnonymizationPolicyException(name, $"{name}: unknown property; {expected}.");
            }

            if (!seen.Add(property.Name))
            {
                throw new AnonymizationPolicyException(name, $"{name} is set twice.");
            }
        }
    }

    private static string RequiredString(JsonElement element, string at, string property)
    {
        var value = OptionalString(element, at, property);
        return string.IsNullOrWhiteSpace(value)
            ? throw new AnonymizationPolicyException(Join(at, property), $"{Join(at, property)} is required.")
            : value;
    }

    private static string? OptionalString(JsonElement element, string at, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AnonymizationPolicyException(Join(at, property), $"{Join(at, property)} must be a string, not {Describe(value.ValueKind)}.");
    }

    private static bool Flag(JsonElement element, string at, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new AnonymizationPolicyException(Join(at, property), $"{Join(at, property)} must be true or false, not {Describe(value.ValueKind)}."),
        };
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string at, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw new AnonymizationPolicyException(Join(at, property), $"{Join(at, property)} must be an array of strings.");
        }

        return value.EnumerateArray().Select(item => item.GetString()!).ToArray();
    }

    /// <summary>One of a few words, matched without regard to case; the default when the property is absent or null.</summary>
    private static T Choice<T>(JsonElement element, string at, string property, T fallback, params (string Word, T Value)[] choices)
    {
        var word = OptionalString(element, at, property);
        if (string.IsNullOrEmpty(word))
        {
            return fallback;
        }

        foreach (var (choice, value) in choices)
        {
            if (string.Equals(choice, word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new AnonymizationPolicyException(Join(at, property),
            $"{Join(at, property)}: '{word}' is not one of {string.Join(", ", choices.Select(choice => choice.Word))}.");
    }

    private static string Join(string at, string property) => at.Length == 0 ? property : $"{at}.{property}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
