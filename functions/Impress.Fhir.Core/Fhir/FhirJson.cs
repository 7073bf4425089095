using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Impress.Fhir.Fhir;

/// <summary>The one way this project writes FHIR JSON, so files it writes diff cleanly.</summary>
public static class FhirJson
{
    private static readonly FhirJsonSerializer Serializer = new();

    public static string Serialize(Base instance, bool pretty = false) => Serializer.SerializeToString(instance, pretty);

    /// <summary>Pretty JSON with two-space indentation and a final newline, as committed files are kept.</summary>
    public static string SerializeForFile(Base instance) => Serialize(instance, pretty: true).Replace("\r\n", "\n") + "\n";
}
