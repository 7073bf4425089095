using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

/// <summary>Policies and resources for the anonymization tests.</summary>
internal static class AnonymizationTestData
{
    public static readonly AnonymizationKeys Keys = new("crypto-hash-key-for-tests", "date-shift-key-for-tests", "0123456789abcdef0123456789abcdef");

    /// <summary>A fixed today, so which dates imply an age over 89 does not depend on when the tests run.</summary>
    public static readonly DateTimeOffset Today = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A policy of these rules (a JSON array) and parameters (a JSON object's members), with the test keys.</summary>
    public static AnonymizationPolicy Policy(string rules, string parameters = "", string processingErrors = "raise") =>
        AnonymizationPolicy.Parse("test", Encoding.UTF8.GetBytes(
            $$"""{ "fhirVersion": "R4", "processingErrors": "{{processingErrors}}", "fhirPathRules": {{rules}}, "parameters": { {{parameters}} } }"""))
            .WithKeys(Keys);

    public static Anonymizer Anonymizer(AnonymizationPolicy policy) => new(policy, new FixedClock(Today));

    /// <summary>Applies rules to a resource and returns what was emitted.</summary>
    public static T Apply<T>(string rules, T resource, string parameters = "", AnonymizationSubject? subject = null) where T : Resource =>
        (T)Anonymizer(Policy(rules, parameters)).Anonymize(resource, subject ?? AnonymizationSubject.None);

    /// <summary>
    /// The example report's resources for patient <paramref name="n"/> as the store holds them: each with an id, and
    /// references as "Type/id" instead of the bundle's urn:uuid fullUrls. The hospital is one Organization for all.
    /// </summary>
    public static IReadOnlyList<Resource> StoredReport(int n)
    {
        var entries = ExampleReports.OfPatient(n).Entry.Select(entry => (FullUrl: entry.FullUrl!, Resource: entry.Resource!)).ToList();
        var ids = entries.ToDictionary(
            entry => entry.FullUrl,
            entry => $"{entry.Resource.TypeName}/{(entry.Resource is Organization ? "" : $"p{n}-")}{entry.FullUrl["urn:uuid:".Length..]}");
        foreach (var (fullUrl, resource) in entries)
        {
            resource.Id = ids[fullUrl].Split('/')[1];
            foreach (var reference in resource.AllDescendants().OfType<ResourceReference>())
            {
                if (reference.Reference is { } literal && ids.TryGetValue(literal, out var stored))
                {
                    reference.Reference = stored;
                }
            }
        }

        return entries.Select(entry => entry.Resource).ToList();
    }

    public static string Json(Base resource) => FhirJson.Serialize(resource);

    public static T Copy<T>(T resource) where T : Base => (T)resource.DeepCopy();

    private static IEnumerable<Base> AllDescendants(this Base instance)
    {
        foreach (var child in instance.EnumerateElements().SelectMany(element => element.Value as IEnumerable<Base> ?? [(Base)element.Value]))
        {
            yield return child;
            foreach (var descendant in child.AllDescendants())
            {
                yield return descendant;
            }
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
