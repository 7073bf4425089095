using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Impress.Fhir.Fhir;

/// <summary>The one way this project writes FHIR JSON, so files it writes diff cleanly.</summary>
public static class FhirJson
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>The SDK's own writer options for JSON text, so that bytes and strings hold the same JSON.</summary>
    private static readonly JsonWriterOptions Utf8Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static Utf8Buffer? _buffer;

    public static string Serialize(Base instance, bool pretty = false) => Serializer.SerializeToString(instance, pretty);

    /// <summary>
    /// The same JSON as <see cref="Serialize"/>, as UTF-8 bytes. Written into a buffer this thread keeps, so that a
    /// stored resource costs one array of its own size, not a growing stream, a string and its encoding.
    /// </summary>
    public static byte[] SerializeToUtf8Bytes(Base instance)
    {
        var buffer = _buffer ??= new Utf8Buffer();
        buffer.Output.ResetWrittenCount();
        buffer.Writer.Reset(buffer.Output);
        Serializer.Serialize(instance, buffer.Writer);
        buffer.Writer.Flush();
        var bytes = buffer.Output.WrittenSpan.ToArray();
        if (buffer.Output.Capacity > Utf8Buffer.KeptCapacity)
        {
            _buffer = null;
        }

        return bytes;
    }

    /// <summary>Pretty JSON with two-space indentation and a final newline, as committed files are kept.</summary>
    public static string SerializeForFile(Base instance) => Serialize(instance, pretty: true).Replace("\r\n", "\n") + "\n";

    private sealed class Utf8Buffer
    {
        /// <summary>A buffer grown past this by one large resource is let go rather than kept for the thread's life.</summary>
        public const int KeptCapacity = 1024 * 1024;

        public ArrayBufferWriter<byte> Output { get; } = new(16 * 1024);

        public Utf8JsonWriter Writer { get; }

        public Utf8Buffer() => Writer = new Utf8JsonWriter(Output, Utf8Options);
    }
}
