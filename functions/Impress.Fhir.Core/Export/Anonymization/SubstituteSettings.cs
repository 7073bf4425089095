using System.Text.Json;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>The settings of a substitute rule.</summary>
/// <param name="ReplaceWith">
/// The replacement: a JSON primitive for a primitive element (null removes the value), a JSON object in the element's
/// FHIR JSON form for a complex one.
/// </param>
public sealed record SubstituteSettings(JsonElement ReplaceWith);
