using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Core.Tests.Fhir;

public sealed class FhirJsonReaderTests
{
    private static FhirDocument Read(string json) => FhirJsonReader.Default.Read(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n  ", "empty")]
    [InlineData("{\"resourceType\": \"Patient\",", "Malformed JSON")]
    [InlineData("{\"resourceType\": \"Patient\"} trailing", "Malformed JSON")]
    [InlineData("[1, 2]", "JSON array")]
    [InlineData("\"Patient\"", "JSON string")]
    [InlineData("{\"name\": \"not fhir\"}", "no resourceType")]
    [InlineData("{\"resourceType\": 7}", "must be a JSON string")]
    [InlineData("{\"resourceType\": \"Patientt\"}", "'Patientt' is not a FHIR R4 resource type")]
    [InlineData("<Patient xmlns=\"http://hl7.org/fhir\"/>", "XML")]
    public void Unreadable_documents_say_why(string json, string expected)
    {
        var error = Assert.Throws<UnreadableDocumentException>(() => Read(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Malformed_json_names_the_line()
    {
        var error = Assert.Throws<UnreadableDocumentException>(() => Read("{\n  \"resourceType\": \"Patient\",\n  \"gender\": female\n}"));

        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var deep = "{\"resourceType\":\"Basic\",\"extension\":" + string.Concat(Enumerable.Repeat("[{\"extension\":", 80)) + "[]" + string.Concat(Enumerable.Repeat("}]", 80)) + "}";

        var error = Assert.Throws<UnreadableDocumentException>(() => Read(deep));

        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_byte_order_mark_is_allowed()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"gender\":\"female\"}")).ToArray();

        var document = FhirJsonReader.Default.Read(bytes);

        Assert.Equal(AdministrativeGender.Female, ((Patient)document.Resource).Gender);
        Assert.Empty(document.ParseIssues);
    }

    [Fact]
    public void Content_errors_become_issues_on_a_partial_resource()
    {
        var document = Read("{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"15.01.1960\",\"colour\":\"blue\"}");

        Assert.IsType<Patient>(document.Resource);
        Assert.Contains(document.ParseIssues, i => i.Expression == "Patient.colour");
        Assert.Contains(document.ParseIssues, i => i.Expression == "Patient.birthDate");
    }
}
