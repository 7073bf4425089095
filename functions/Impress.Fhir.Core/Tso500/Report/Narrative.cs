using System.Net;

namespace Impress.Fhir.Tso500.Report;

/// <summary>The generated narrative an EHR shows for a resource: one escaped sentence.</summary>
internal static class Narrative
{
    public static Hl7.Fhir.Model.Narrative Of(string sentence) => new()
    {
        Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
        Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{WebUtility.HtmlEncode(sentence)}</p></div>",
    };
}
