using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Http;

/// <summary>What the client asked for with the Prefer header (RFC 7240): the response body, lenient or strict search, and an asynchronous answer.</summary>
public sealed record PreferHeader(PreferReturn Return, bool StrictHandling, bool RespondAsync = false)
{
    public static PreferHeader Default { get; } = new(PreferReturn.Representation, false);

    public bool ReturnRepresentation => Return == PreferReturn.Representation;

    public static PreferHeader Parse(HttpRequest request)
    {
        var result = Default;
        foreach (var preference in request.Headers["Prefer"].SelectMany(h => (h ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = preference.Split('=', 2, StringSplitOptions.TrimEntries);
            var value = parts.Length > 1 ? parts[1].Trim('"') : "";
            result = parts[0].ToLowerInvariant() switch
            {
                "return" when value.Equals("minimal", StringComparison.OrdinalIgnoreCase) => result with { Return = PreferReturn.Minimal },
                "return" when value.Equals("OperationOutcome", StringComparison.OrdinalIgnoreCase) => result with { Return = PreferReturn.OperationOutcome },
                "return" => result with { Return = PreferReturn.Representation },
                "handling" => result with { StrictHandling = value.Equals("strict", StringComparison.OrdinalIgnoreCase) },
                "respond-async" => result with { RespondAsync = true },
                _ => result,
            };
        }

        return result;
    }
}

public enum PreferReturn
{
    Representation,
    Minimal,
    OperationOutcome,
}
