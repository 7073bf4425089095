using System.Net;
using System.Text;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Api.Tests;

/// <summary>Whatever a client sends, the answer is a 4xx with an OperationOutcome that says what is wrong, never a 500.</summary>
public sealed class BadInputTests(SmallLimitsServerFixture fixture) : IClassFixture<SmallLimitsServerFixture>
{
    private HttpClient Http => fixture.Http;

    [Theory]
    [InlineData("{\"resourceType\":\"Bundle\",", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("{\"resourceType\":\"Spaceship\"}", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("<Bundle xmlns=\"http://hl7.org/fhir\"/>", "application/fhir+xml", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"document\"}", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("{\"resourceType\":\"Patient\"}", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}]}", "application/fhir+json", HttpStatusCode.BadRequest)]
    public async Task Bad_bodies_at_the_base_get_an_outcome(string body, string contentType, HttpStatusCode expected)
    {
        using var response = await Http.PostAsync("", new StringContent(body, Encoding.UTF8, contentType));

        await AssertOutcome(response, expected);
    }

    /// <summary>Requests the hostile-input run once answered with a 500, each kept here by name.</summary>
    [Theory]
    [InlineData("POST", "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"\\uD800\"}]}", "not valid Unicode")]
    [InlineData("POST", "Patient", "{\"resourceType\":\"\\uDC00\"}", "not valid Unicode")]
    [InlineData("POST", "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"\":\"x\"}]}", "empty name")]
    [InlineData("POST", "", "{\"resourceType\":\"DomainResource\"}", "not a FHIR R4 resource type")]
    [InlineData("GET", "Patient?_lastUpdated=le9999-12-31T23:59:59Z", null, null)]
    [InlineData("GET", "ResearchStudy?_lastUpdated=9999", null, null)]
    [InlineData("GET", "ResearchStudy?_count=0", null, null)]
    [InlineData("GET", "Group?_revinclude=Observation:subject:Group", null, null)]
    [InlineData("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"impress.ExportJob/x\"}}]}", "does not name a resource type this server stores")]
    [InlineData("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Medication\",\"status\":\"active\"},\"request\":{\"method\":\"POST\",\"url\":\"Medication\"}}]}", "does not name a resource type this server stores")]
    public async Task Input_that_once_crashed_the_server_gets_an_answer(string method, string path, string? body, string? expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        }

        using var response = await Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, text);
        if (expected is not null)
        {
            Assert.Contains(expected, await AssertOutcome(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("multipart/form-data", "x")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", "a=b")]
    public async Task A_search_form_that_cannot_be_read_is_400(string contentType, string body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Http.PostAsync("Patient/_search", content);

        Assert.Contains("form could not be read", await AssertOutcome(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_not_crashed_on()
    {
        var body = "{\"resourceType\":\"Patient\",\"extension\":[" + string.Concat(Enumerable.Repeat("{\"extension\":[", 200)) + string.Concat(Enumerable.Repeat("]}", 200)) + "]}";

        using var response = await Http.PostAsync("Patient", new StringContent(body, Encoding.UTF8, "application/fhir+json"));

        await AssertOutcome(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_string_over_the_length_limit_is_refused_with_its_line()
    {
        var body = "{\"resourceType\":\"Organization\",\n\"name\":\"" + new string('x', 1_001) + "\"}";

        using var response = await Http.PostAsync("Organization", new StringContent(body, Encoding.UTF8, "application/fhir+json"));

        var text = await AssertOutcome(response, HttpStatusCode.BadRequest);
        Assert.Contains("line 2", text);
        Assert.Contains("at most 1,000 bytes", text);
    }

    [Fact]
    public async Task A_bundle_over_the_entry_limit_gets_413()
    {
        var json = FhirJson.Serialize(SyntheticReports.Create(15, patient: 707));

        using var response = await Http.PostAsync("", new StringContent(json, Encoding.UTF8, "application/fhir+json"));

        var text = await AssertOutcome(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 20", text);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_gets_413()
    {
        var patient = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + new string('x', 400_000) + "\"}]}";

        using var response = await Http.PostAsync("Patient", new StringContent(patient, Encoding.UTF8, "application/fhir+json"));

        await AssertOutcome(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(response.Headers.ConnectionClose, "A body refused unread closes the connection.");
    }

    [Theory]
    [InlineData("GET", "Spaceship/1", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "Patient/1", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "Patient?_count=many", HttpStatusCode.BadRequest)]
    [InlineData("GET", "Patient?_lastUpdated=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("GET", "Patient?identifier:missing=true", HttpStatusCode.BadRequest)]
    [InlineData("GET", "Patient?_page=not-a-token", HttpStatusCode.BadRequest)]
    [InlineData("GET", "Patient?_format=xml", HttpStatusCode.NotAcceptable)]
    public async Task Unsupported_requests_get_an_outcome(string method, string url, HttpStatusCode expected)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await AssertOutcome(response, expected);
    }

    [Fact]
    public async Task An_update_whose_id_differs_from_the_url_is_refused()
    {
        var body = "{\"resourceType\":\"Organization\",\"id\":\"a\",\"name\":\"Lab\"}";

        using var response = await Http.PutAsync("Organization/b", new StringContent(body, Encoding.UTF8, "application/fhir+json"));

        var text = await AssertOutcome(response, HttpStatusCode.BadRequest);
        Assert.Contains("Organization.id", text);
    }

    private static async Task<string> AssertOutcome(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = FhirJsonReader.Default.Read(Encoding.UTF8.GetBytes(text)).Resource;
        Assert.Equal("OperationOutcome", outcome.TypeName);
        return text;
    }
}
