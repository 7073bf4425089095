using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Fhir;

/// <summary>
/// Reads FHIR JSON into POCOs. Input that is not a FHIR resource at all fails with an
/// <see cref="UnreadableDocumentException"/> whose message says what is wrong and where; content errors inside a
/// resource (an unknown element, a wrong primitive) become validation issues on a partial resource instead.
/// </summary>
public sealed class FhirJsonReader
{
    /// <summary>Limits that guard the parser against hostile input.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The default longest JSON string, in bytes as sent. FHIR caps strings at 1 MB; base64 attachments (a TSO500
    /// file sent for import) may be larger, so the default leaves room for them.
    /// </summary>
    public const int DefaultMaxStringBytes = 8 * 1024 * 1024;

    private static readonly JsonReaderOptions ScanOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    private static readonly FhirJsonDeserializer StoredDeserializer = new(new DeserializerSettings { Validator = null });

    private readonly FhirJsonDeserializer _deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private readonly int _maxStringBytes;

    /// <param name="maxStringBytes">The longest JSON string accepted; a longer one makes the document unreadable.</param>
    public FhirJsonReader(int maxStringBytes = DefaultMaxStringBytes) => _maxStringBytes = maxStringBytes;

    public static FhirJsonReader Default { get; } = new();

    /// <summary>
    /// Reads a resource the store holds: JSON this server wrote after validating it, so neither the envelope nor
    /// the content is checked again (no validator: several times faster, for exports of the whole store).
    /// </summary>
    public static Resource ReadStored(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ScanOptions);
        try
        {
            return StoredDeserializer.DeserializeResource(ref reader);
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            // Stored under an earlier release's rules, perhaps: what could be read is what there is.
            return partial;
        }
        catch (DeserializationFailedException e)
        {
            throw new UnreadableDocumentException(e.Exceptions.FirstOrDefault()?.Message ?? "The stored document could not be read as FHIR.", e);
        }
    }

    /// <summary>Reads one resource from UTF-8 JSON (a leading byte-order mark is allowed).</summary>
    public FhirDocument Read(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Json = utf8Json[Encoding.UTF8.Preamble.Length..];
        }

        var resourceType = ScanEnvelope(utf8Json);
        if (!ModelInfo.IsKnownResource(resourceType) || ModelInfo.GetTypeForFhirType(resourceType) is not { IsAbstract: false })
        {
            throw new UnreadableDocumentException($"'{resourceType}' is not a FHIR R4 resource type.");
        }

        var reader = new Utf8JsonReader(utf8Json, ScanOptions);
        Resource? resource;
        IEnumerable<CodedException> errors;
        try
        {
            if (_deserializer.TryDeserializeResource(ref reader, out resource, out errors))
            {
                return new FhirDocument(resource!, []);
            }
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses to decode a string holding an unpaired surrogate or bytes that are not UTF-8.
            throw new UnreadableDocumentException("A JSON string holds text that is not valid Unicode (an unpaired surrogate escape or bytes that are not UTF-8).", e);
        }

        if (resource is null)
        {
            throw new UnreadableDocumentException(errors.FirstOrDefault()?.Message ?? "The document could not be read as FHIR.");
        }

        return new FhirDocument(resource, errors.Select(ToIssue).ToList());
    }

    /// <summary>
    /// One cheap pass over the tokens: the document must be a single well-formed JSON object with a string
    /// resourceType. Returns that resource type.
    /// </summary>
    private string ScanEnvelope(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new UnreadableDocumentException("The document is empty.");
        }

        if (utf8Json.TrimStart(" \t\r\n"u8)[0] == (byte)'<')
        {
            throw new UnreadableDocumentException("The document is XML; send FHIR JSON (application/fhir+json).");
        }

        var reader = new Utf8JsonReader(utf8Json, ScanOptions);
        string? resourceType = null;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new UnreadableDocumentException($"A FHIR resource is a JSON object, but the document is a JSON {Describe(reader.TokenType)}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                CheckLength(ref reader, utf8Json);
                var isResourceType = reader.ValueTextEquals("resourceType"u8);
                reader.Read();
                if (isResourceType)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new UnreadableDocumentException("resourceType must be a JSON string.");
                    }

                    resourceType = DecodeOrRefuse(ref reader);
                }
                else
                {
                    SkipValue(ref reader, utf8Json);
                }
            }

            if (reader.Read())
            {
                throw new UnreadableDocumentException($"Malformed JSON: unexpected content after the resource at line {LineOf(utf8Json, reader.TokenStartIndex)}.");
            }
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new UnreadableDocumentException($"Malformed JSON{where}: {FirstSentence(e.Message)}", e);
        }

        return resourceType switch
        {
            null => throw new UnreadableDocumentException("The document has no resourceType, so it is not a FHIR resource."),
            "" => throw new UnreadableDocumentException("resourceType is empty."),
            _ => resourceType,
        };
    }

    /// <summary>Skips the value the reader is on, refusing any string in it longer than the limit.</summary>
    private void SkipValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CheckLength(ref reader, utf8Json);
            return;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            CheckLength(ref reader, utf8Json);
        }
    }

    private static string? DecodeOrRefuse(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException e)
        {
            throw new UnreadableDocumentException("resourceType is not valid Unicode text.", e);
        }
    }

    /// <summary>Refuses strings longer than the limit, and property names that are empty (no FHIR element is unnamed).</summary>
    private void CheckLength(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json)
    {
        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueSpan.IsEmpty)
        {
            throw new UnreadableDocumentException($"The property at line {LineOf(utf8Json, reader.TokenStartIndex)} has an empty name.");
        }

        if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueSpan.Length > _maxStringBytes)
        {
            throw new UnreadableDocumentException(
                $"The string at line {LineOf(utf8Json, reader.TokenStartIndex)} is {reader.ValueSpan.Length:N0} bytes long; this server accepts strings of at most {_maxStringBytes:N0} bytes.");
        }
    }

    private static ValidationIssue ToIssue(CodedException error)
    {
        var extended = error as ExtendedCodedException;
        var where = extended?.LineNumber is { } line ? $" (line {line}, position {extended.Position})" : "";
        return new ValidationIssue(
            extended?.IssueSeverity ?? OperationOutcome.IssueSeverity.Error,
            extended?.IssueType ?? OperationOutcome.IssueType.Structure,
            (extended?.BaseErrorMessage ?? error.Message) + where,
            NormalizeInstancePath(extended?.InstancePath),
            RuleId: error.ErrorCode,
            RuleSystem: ValidationResult.SdkCodeSystem);
    }

    /// <summary>The parser reports paths such as "Patient.identifier[0].use"; keep them as FHIRPath.</summary>
    private static string? NormalizeInstancePath(string? path) => string.IsNullOrEmpty(path) ? null : path;

    private static int LineOf(ReadOnlySpan<byte> utf8Json, long index) => utf8Json[..(int)index].Count((byte)'\n') + 1;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };
}
