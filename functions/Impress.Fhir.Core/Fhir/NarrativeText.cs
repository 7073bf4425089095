using System.Net;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Fhir;

/// <summary>The generated narrative an EHR shows for a resource: escaped sentences, or a list.</summary>
public static class NarrativeText
{
    public static Narrative Of(string sentence) => new()
    {
        Status = Narrative.NarrativeStatus.Generated,
        Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{WebUtility.HtmlEncode(sentence)}</p></div>",
    };

    /// <summary>A heading sentence and nested list items (depth from 0, each at most one deeper than the one before), escaped.</summary>
    public static Narrative Of(string sentence, IEnumerable<(int Depth, string Text)> items)
    {
        var html = new System.Text.StringBuilder($"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{WebUtility.HtmlEncode(sentence)}</p>");
        var depth = -1;
        foreach (var (level, text) in items)
        {
            if (level > depth)
            {
                // A deeper item opens a list inside the open item (XHTML allows no list directly in a list).
                for (; depth < level; depth++)
                {
                    html.Append("<ul>");
                }
            }
            else
            {
                html.Append("</li>");
                for (; depth > level; depth--)
                {
                    html.Append("</ul></li>");
                }
            }

            html.Append("<li>").Append(WebUtility.HtmlEncode(text));
        }

        for (; depth >= 0; depth--)
        {
            html.Append("</li></ul>");
        }

        return new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = html.Append("</div>").ToString() };
    }
}
