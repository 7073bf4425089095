using System.Net;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Api.Interactions;

/// <summary>The outcome of one FHIR interaction, independent of how it travels back (HTTP response or bundle entry).</summary>
public sealed record FhirResult
{
    public required HttpStatusCode Status { get; init; }

    /// <summary>The resource to return, already serialized when it comes straight from the store.</summary>
    public Resource? Resource { get; init; }

    /// <summary>Stored JSON returned as is, so reads do not parse and serialize again.</summary>
    public ReadOnlyMemory<byte>? Json { get; init; }

    /// <summary>The version the result is about, for Location, ETag and Last-Modified.</summary>
    public StoredVersionInfo? Version { get; init; }

    /// <summary>Problems or information to report; for an error status this is the body.</summary>
    public OperationOutcome? Outcome { get; init; }

    /// <summary>True for the result of a write, whose body the client chooses with Prefer: return=.</summary>
    public bool IsWrite { get; init; }

    /// <summary>Headers to send with the result (WWW-Authenticate, Retry-After).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public static FhirResult Error(HttpStatusCode status, OperationOutcome.IssueType code, string message, string? expression = null) =>
        new() { Status = status, Outcome = Outcomes.Error(code, message, expression) };

    public static FhirResult Error(HttpStatusCode status, OperationOutcome outcome) => new() { Status = status, Outcome = outcome };
}

/// <summary>Type, id, version and time of a stored resource version.</summary>
public sealed record StoredVersionInfo(string Type, string Id, long VersionId, DateTimeOffset LastUpdated)
{
    public string ETag => $"W/\"{VersionId}\"";

    public string VersionedReference => $"{Type}/{Id}/_history/{VersionId}";
}
