using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// What a stage message asks for: one resource to work on ("Patient/{id}", "Task/{id}", "ResearchStudy/{id}"),
/// perhaps one version of it, and, for a match that follows a catalog change, the catalog it must be matched
/// against at least. Written as <c>Patient/abc</c>, <c>CarePlan/abc;version=2</c> or <c>Patient/abc;catalog=638...</c>:
/// no patient data, nothing but ids.
/// </summary>
public sealed partial record StageWork(string Type, string Id, long? CatalogStamp = null, long? Version = null)
{
    public string Reference => Type + "/" + Id;

    public string Format() => Reference
        + (Version is { } version ? ";version=" + version.ToString(CultureInfo.InvariantCulture) : "")
        + (CatalogStamp is { } stamp ? ";catalog=" + stamp.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>Reads a message body naming a resource of a type <paramref name="accepts"/>; false for anything else.</summary>
    public static bool TryParse(string body, Func<string, bool> accepts, [NotNullWhen(true)] out StageWork? work)
    {
        work = null;
        var match = Body().Match(body);
        if (!match.Success || !accepts(match.Groups["type"].Value))
        {
            return false;
        }

        work = new StageWork(match.Groups["type"].Value, match.Groups["id"].Value, Number(match.Groups["catalog"]), Number(match.Groups["version"]));
        return true;
    }

    /// <summary>Reads a message body naming a resource of <paramref name="type"/>.</summary>
    public static bool TryParse(string body, string type, [NotNullWhen(true)] out StageWork? work) => TryParse(body, t => t == type, out work);

    private static long? Number(Group group) => group.Success ? long.Parse(group.Value, CultureInfo.InvariantCulture) : null;

    // A FHIR id (1-64 of A-Z a-z 0-9 - .), then an optional version and catalog stamp of at most 18 digits each.
    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]{1,63})/(?<id>[A-Za-z0-9\-.]{1,64})(;version=(?<version>[0-9]{1,18}))?(;catalog=(?<catalog>[0-9]{1,18}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Body();
}
