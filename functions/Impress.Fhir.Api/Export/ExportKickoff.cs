using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Export;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// Reads a Bulk Data kick-off request (the query of a GET, or the <c>Parameters</c> of a POST) into an
/// <see cref="ExportRequest"/>, or explains what is wrong with it, naming the parameter.
/// </summary>
public sealed partial class ExportKickoff(SearchParameterRegistry registry, ExportRunner runner, ExportPolicies policies)
{
    /// <summary>NDJSON, by every name the Bulk Data specification lets a client use.</summary>
    private static readonly HashSet<string> Ndjson = new(StringComparer.OrdinalIgnoreCase) { "application/fhir+ndjson", "application/ndjson", "ndjson" };

    /// <summary>Parameters of the specification this server does not implement: refused, not ignored, so no client gets less than it asked for unknowingly.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal) { "_elements", "patient", "includeAssociatedData" };

    /// <summary>
    /// What a system export covers: every type the server stores, except Subscription (endpoints and their
    /// credentials are the server's configuration, not data to hand out) and AuditEvent (the trail of who accessed
    /// what is searched where it is, by those who may, not handed out in bulk).
    /// </summary>
    public IReadOnlyList<string> SystemTypes { get; } = PatientsFirst(registry.ResourceTypes.Where(t => t is not ("Subscription" or Security.AccessPolicy.AuditType)));

    /// <summary>What a Patient or Group export covers: the stored types of the Patient compartment.</summary>
    public IReadOnlyList<string> PatientTypes { get; } = PatientsFirst(registry.ResourceTypes.Where(PatientCompartment.Default.Contains));

    public (ExportRequest? Request, FhirResult? Error) Parse(ExportLevel level, string? groupId, IEnumerable<KeyValuePair<string, string>> parameters, string requestUrl)
    {
        var allowed = level == ExportLevel.System ? SystemTypes : PatientTypes;
        List<string>? types = null;
        DateTimeOffset? since = null;
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? policy = null;

        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "_outputFormat":
                    if (!Ndjson.Contains(value))
                    {
                        return Invalid($"_outputFormat '{value}' is not supported; exports are written as application/fhir+ndjson.", "_outputFormat");
                    }

                    break;
                case "_type":
                    types ??= [];
                    foreach (var type in Split(value))
                    {
                        if (!allowed.Contains(type))
                        {
                            return Invalid($"_type '{type}' is not a type this export can contain ({string.Join(", ", allowed)}).", "_type");
                        }

                        if (!types.Contains(type))
                        {
                            types.Add(type);
                        }
                    }

                    break;
                case "_since":
                    if (!DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                    {
                        return Invalid($"_since '{value}' is not a FHIR instant (e.g. 2026-01-31T12:00:00Z, with seconds and a time zone).", "_since");
                    }

                    since = instant;
                    break;
                case "_typeFilter":
                    foreach (var filter in SplitFilters(value))
                    {
                        var question = filter.IndexOf('?', StringComparison.Ordinal);
                        var type = question > 0 ? filter[..question] : "";
                        if (!allowed.Contains(type))
                        {
                            return Invalid($"_typeFilter '{filter}' must be [type]?[search] with a type this export can contain ({string.Join(", ", allowed)}).", "_typeFilter");
                        }

                        try
                        {
                            runner.ParseFilter(type, filter[(question + 1)..]);
                        }
                        catch (FormatException e)
                        {
                            return Invalid($"_typeFilter '{filter}': {e.Message}", "_typeFilter");
                        }

                        (filters.TryGetValue(type, out var list) ? list : filters[type] = []).Add(filter[(question + 1)..]);
                    }

                    break;
                case "_anonymizationConfig":
                    if (!policies.TryGet(value, out _))
                    {
                        return Invalid($"_anonymizationConfig '{value}' is not a configured de-identification policy ({string.Join(", ", policies.Names)}).", "_anonymizationConfig");
                    }

                    policy = value;
                    break;
                default:
                    if (Unsupported.Contains(name))
                    {
                        return Invalid($"{name} is not supported by this server's export.", name);
                    }

                    return Invalid($"'{name}' is not a parameter of $export (_outputFormat, _type, _since, _typeFilter, _anonymizationConfig).", name);
            }
        }

        // _typeFilter narrows the types it names; with no _type, every other type is still exported whole.
        var exported = types is null ? [.. allowed] : PatientsFirst(types);
        var unknownFilter = filters.Keys.FirstOrDefault(type => !exported.Contains(type));
        if (unknownFilter is not null)
        {
            return Invalid($"_typeFilter names {unknownFilter}, which _type leaves out.", "_typeFilter");
        }

        return (new ExportRequest(level, groupId, exported, since, filters.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal), policy, requestUrl), null);
    }

    /// <summary>The kick-off parameters of a POST: a Parameters resource whose values are strings, codes, instants or uris.</summary>
    public static (IReadOnlyList<KeyValuePair<string, string>>? Parameters, FhirResult? Error) FromParameters(Resource body)
    {
        if (body is not Parameters parameters)
        {
            return (null, FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, $"A POST to $export carries a Parameters resource, not a {body.TypeName}.", "resourceType"));
        }

        var values = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < parameters.Parameter.Count; i++)
        {
            var parameter = parameters.Parameter[i];
            var value = parameter.Value switch
            {
                FhirString s => s.Value,
                Code c => c.Value,
                Instant instant => instant.Value?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
                FhirUri uri => uri.Value,
                PrimitiveType primitive => primitive.ToString(),
                _ => null,
            };
            if (parameter.Name is not { Length: > 0 } name || value is null)
            {
                return (null, FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "Every parameter of a $export needs a name and a primitive value.", $"Parameters.parameter[{i}]"));
            }

            values.Add(KeyValuePair.Create(name, value));
        }

        return (values, null);
    }

    /// <summary>
    /// Patient first, then the other types by name: a de-identified export learns each patient's names from the
    /// Patient it writes, instead of reading every Patient again for the resources that refer to it.
    /// </summary>
    private static string[] PatientsFirst(IEnumerable<string> types) =>
        [.. types.OrderBy(t => t == "Patient" ? 0 : 1).ThenBy(t => t, StringComparer.Ordinal)];

    private static IEnumerable<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Several filters are joined by commas; a comma inside a filter's query (code=a,b: either code) is not followed by "Type?".</summary>
    private static IEnumerable<string> SplitFilters(string value) =>
        FilterSeparator().Split(value).Select(f => f.Trim()).Where(f => f.Length > 0);

    [System.Text.RegularExpressions.GeneratedRegex(@",(?=\s*[A-Z][A-Za-z]+\?)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex FilterSeparator();

    private static (ExportRequest?, FhirResult?) Invalid(string message, string parameter) =>
        (null, FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, message, parameter));
}
