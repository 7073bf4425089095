using Hl7.Fhir.Model;

namespace Impress.Fhir.Subscriptions;

/// <summary>
/// The topics as resources a client can read. R4 has no SubscriptionTopic, so each is an R4 <c>Basic</c> (code
/// SubscriptionTopic) carrying the R5 SubscriptionTopic's elements as cross-version extensions: url, status, title,
/// description, the resource it triggers on and its filters.
/// </summary>
public static class TopicResources
{
    private const string Extension = "http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic.";

    public static Basic Of(SubscriptionTopic topic)
    {
        var basic = new Basic
        {
            Id = topic.Code,
            Code = new CodeableConcept("http://hl7.org/fhir/fhir-types", "SubscriptionTopic", "SubscriptionTopic"),
            Text = new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{System.Net.WebUtility.HtmlEncode(topic.Canonical)}</p><p>{System.Net.WebUtility.HtmlEncode(topic.Description)}</p></div>" },
        };
        basic.Extension.Add(new Extension(Extension + "url", new FhirUri(topic.Canonical)));
        basic.Extension.Add(new Extension(Extension + "status", new Code("active")));
        basic.Extension.Add(new Extension(Extension + "title", new FhirString(topic.Code)));
        basic.Extension.Add(new Extension(Extension + "description", new Markdown(topic.Description)));
        var trigger = new Extension { Url = Extension + "resourceTrigger" };
        trigger.Extension.Add(new Extension("resource", new FhirUri("http://hl7.org/fhir/StructureDefinition/" + topic.ResourceType)));
        basic.Extension.Add(trigger);
        foreach (var filter in topic.Filters)
        {
            var canFilterBy = new Extension { Url = Extension + "canFilterBy" };
            canFilterBy.Extension.Add(new Extension("resource", new FhirUri(topic.ResourceType)));
            canFilterBy.Extension.Add(new Extension("filterParameter", new FhirString(filter)));
            basic.Extension.Add(canFilterBy);
        }

        return basic;
    }
}
