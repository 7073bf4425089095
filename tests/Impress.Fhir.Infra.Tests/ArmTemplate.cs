using System.Text.Json;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Infra.Tests;

/// <summary>A resource of a compiled ARM template, with the (nested) template that declares it.</summary>
public sealed record ArmResource(JsonElement Element, JsonElement Template)
{
    public string Type => Element.GetProperty("type").GetString()!;

    public JsonElement Properties => Element.GetProperty("properties");

    /// <summary>A property of the resource by a dotted path ("properties.siteConfig.minTlsVersion").</summary>
    public JsonElement Get(string path) => ArmTemplate.Get(Element, path);
}

/// <summary>The ARM JSON that <c>bicep build</c> wrote, and the resources of it and of its module deployments.</summary>
public sealed partial class ArmTemplate
{
    private ArmTemplate(JsonElement root)
    {
        Root = root;
        Resources = [.. ResourcesOf(root)];
    }

    public JsonElement Root { get; }

    /// <summary>Every resource, those of nested (module) deployments included.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public static ArmTemplate Parse(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    public IEnumerable<ArmResource> OfType(string type) => Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of a type.</summary>
    public ArmResource Single(string type)
    {
        var found = OfType(type).ToList();
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0];
    }

    /// <summary>The module deployment of the main template with this name.</summary>
    public ArmResource Module(string name) =>
        Resources.Single(r => r.Type == "Microsoft.Resources/deployments" && r.Element.GetProperty("name").GetString() == name);

    /// <summary>The value a module is given for one of its parameters, with the main template's variables resolved.</summary>
    public JsonElement ModuleParameter(string module, string parameter) =>
        Resolve(Module(module).Get($"properties.parameters.{parameter}.value"), Root);

    public static JsonElement Get(JsonElement element, string path)
    {
        foreach (var name in path.Split('.'))
        {
            Assert.True(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out element), $"No '{name}' in {path}.");
        }

        return element;
    }

    /// <summary>A value with a variable reference ("[variables('x')]") replaced by the variable's value, repeatedly.</summary>
    public static JsonElement Resolve(JsonElement value, JsonElement template)
    {
        while (value.ValueKind == JsonValueKind.String && WholeVariable().Match(value.GetString()!) is { Success: true } match)
        {
            value = Get(template, "variables." + match.Groups[1].Value);
        }

        return value;
    }

    /// <summary>
    /// The names of the app settings a site is given: its literal siteConfig.appSettings, or, when that is an expression,
    /// the settings of the template variables the expression uses.
    /// </summary>
    public static IReadOnlyList<string> AppSettingNames(ArmResource site)
    {
        var names = new List<string>();
        Collect(site.Get("properties.siteConfig.appSettings"));
        return names;

        void Collect(JsonElement value)
        {
            value = Resolve(value, site.Template);
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var setting in value.EnumerateArray())
                    {
                        names.Add(setting.GetProperty("name").GetString()!);
                    }

                    break;
                case JsonValueKind.String:
                    foreach (Match variable in AnyVariable().Matches(value.GetString()!))
                    {
                        Collect(Get(site.Template, "variables." + variable.Groups[1].Value));
                    }

                    break;
                default:
                    Assert.Fail($"Unexpected app settings value {value}.");
                    break;
            }
        }
    }

    private static IEnumerable<ArmResource> ResourcesOf(JsonElement template)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            yield break;
        }

        // Language version 2.0 (user-defined types) keys resources by symbolic name; 1.0 lists them.
        var items = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            yield return new ArmResource(resource, template);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" &&
                resource.TryGetProperty("properties", out var properties) && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex AnyVariable();
}
