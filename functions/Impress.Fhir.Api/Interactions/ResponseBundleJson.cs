using System.Buffers;
using System.Text.Json;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// A transaction's response bundle as JSON, with each entry's resource the JSON the store holds: a report's
/// response carries every resource it created, and serializing them all again cost as much as storing them.
/// </summary>
internal static class ResponseBundleJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = FhirJsonReader.MaxDepth };

    /// <summary>
    /// The bundle <paramref name="withoutResources"/> (JSON with one object per entry, none holding a resource) with
    /// <c>"resource"</c> put first in each entry that has one in <paramref name="resources"/>, by position.
    /// </summary>
    public static byte[] Compose(ReadOnlySpan<byte> withoutResources, IReadOnlyList<ReadOnlyMemory<byte>?> resources)
    {
        var starts = EntryStarts(withoutResources);
        if (starts.Count != resources.Count)
        {
            throw new ArgumentException($"The bundle has {starts.Count} entries, but {resources.Count} were given.", nameof(resources));
        }

        var output = new ArrayBufferWriter<byte>(withoutResources.Length + resources.Sum(r => r?.Length + 16 ?? 0));
        var copied = 0;
        for (var i = 0; i < starts.Count; i++)
        {
            if (resources[i] is not { } resource)
            {
                continue;
            }

            // Just inside the entry's "{": every entry holds a response, so a comma follows.
            var inside = starts[i] + 1;
            output.Write(withoutResources[copied..inside]);
            output.Write("\"resource\":"u8);
            output.Write(resource.Span);
            output.Write(","u8);
            copied = inside;
        }

        output.Write(withoutResources[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Where each object of the top-level "entry" array starts.</summary>
    private static List<int> EntryStarts(ReadOnlySpan<byte> json)
    {
        var starts = new List<int>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var inEntries = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                    inEntries = reader.ValueTextEquals("entry"u8);
                    break;
                case JsonTokenType.StartObject when inEntries && reader.CurrentDepth == 2:
                    starts.Add((int)reader.TokenStartIndex);
                    reader.Skip();
                    break;
            }
        }

        return starts;
    }
}
