using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// What a stage message asks for: one resource to work on ("Patient/{id}", "Task/{id}", "ResearchStudy/{id}"),
/// and, for a match that follows a catalog change, the catalog it must be matched against at least. Written as
/// <c>Patient/abc</c> or <c>Patient/abc;catalog=638...</c>: no patient data, nothing but ids.
/// </summary>
public sealed partial record StageWork(string Type, string Id, long? CatalogStamp = null)
{
    private const string CatalogParameter = ";catalog=";

    public string Reference => Type + "/" + Id;

    public string Format() => CatalogStamp is { } stamp ? Reference + CatalogParameter + stamp.ToString(CultureInfo.InvariantCulture) : Reference;

    /// <summary>Reads a message body naming a resource of <paramref name="type"/>; false for anything else.</summary>
    public static bool TryParse(string body, string type, [NotNullWhen(true)] out StageWork? work)
    {
        work = null;
        var match = Body().Match(body);
        if (!match.Success || match.Groups["type"].Value != type)
        {
            return false;
        }

        long? stamp = match.Groups["catalog"].Success ? long.Parse(match.Groups["catalog"].Value, CultureInfo.InvariantCulture) : null;
        work = new StageWork(type, match.Groups["id"].Value, stamp);
        return true;
    }

    // A FHIR id (1-64 of A-Z a-z 0-9 - .), and an optional catalog stamp of at most 18 digits.
    [GeneratedRegex(@"^(?<type>[A-Z][A-Za-z]{1,63})/(?<id>[A-Za-z0-9\-.]{1,64})(;catalog=(?<catalog>[0-9]{1,18}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Body();
}
