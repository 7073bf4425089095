using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Impress.Fhir.Fhir;
using Impress.Fhir.Norway;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests.Export;

/// <summary>
/// Bulk Data $export through <c>impress serve</c>: kick-off, polling, the manifest, the NDJSON files, raw and
/// de-identified with the shipped registry policy, at system, Patient and Group level.
/// </summary>
public sealed partial class BulkExportTests(SeededExportFixture server) : IClassFixture<SeededExportFixture>
{
    private readonly BulkExportClient _bulk = new(server.Http);

    [Theory]
    [InlineData("$export?_type=Observation", false, "Prefer")]
    [InlineData("$export?_type=Nonsense", true, "_type")]
    [InlineData("$export?_type=Subscription", true, "_type")]
    [InlineData("Patient/$export?_type=Organization", true, "_type")]
    [InlineData("$export?_since=yesterday", true, "_since")]
    [InlineData("$export?_outputFormat=text/csv", true, "_outputFormat")]
    [InlineData("$export?_anonymizationConfig=nobody", true, "_anonymizationConfig")]
    [InlineData("$export?_typeFilter=Observation%3Fnonsense%3D1", true, "_typeFilter")]
    [InlineData("$export?_type=Patient&_typeFilter=Observation%3Fcode%3Dx", true, "_typeFilter")]
    [InlineData("$export?_elements=id", true, "_elements")]
    [InlineData("$export?bogus=1", true, "bogus")]
    public async System.Threading.Tasks.Task A_kick_off_the_server_cannot_serve_is_refused_naming_the_parameter(string path, bool respondAsync, string parameter)
    {
        using var response = await _bulk.KickOffAsync(path, respondAsync);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = (OperationOutcome)FhirJsonReader.Default.Read(await response.Content.ReadAsByteArrayAsync()).Resource;
        Assert.Contains(parameter, outcome.Issue[0].Expression.Concat([outcome.Issue[0].Details?.Text ?? ""]).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_group_that_does_not_exist_is_404_and_an_unknown_job_is_404()
    {
        using var kickOff = await _bulk.KickOffAsync("Group/no-such-group/$export");
        Assert.Equal(HttpStatusCode.NotFound, kickOff.StatusCode);

        using var status = await server.Http.GetAsync("_export/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        using var traversal = await server.Http.GetAsync("_export/..%2F..%2Fimpress.db");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        using var file = await server.Http.GetAsync("_export/0123456789abcdef0123456789abcdef/..%2F..%2Fimpress.db");
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_raw_system_export_has_every_resource_once_in_ndjson_files_the_manifest_lists()
    {
        var status = await _bulk.StartAsync("$export");
        Assert.StartsWith(server.BaseUrl.ToString().TrimEnd('/') + "/_export/", status.ToString());
        var manifest = await _bulk.WaitAsync(status);

        Assert.True(DateTimeOffset.TryParse(manifest.GetProperty("transactionTime").GetString(), out _));
        Assert.EndsWith("/$export", manifest.GetProperty("request").GetString());
        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var resources = BulkExportClient.Parse(await _bulk.DownloadAsync(manifest));

        // Every patient, report and variant; the CarePlans matching proposed; nothing twice.
        Assert.Equal(SeededExportFixture.Patients, resources.OfType<Patient>().Count());
        Assert.Equal(SeededExportFixture.Patients, resources.OfType<DiagnosticReport>().Count());
        Assert.NotEmpty(resources.OfType<CarePlan>());
        Assert.DoesNotContain(resources, r => r is Subscription);
        Assert.Equal(resources.Count, resources.Select(r => r.TypeName + "/" + r.Id).Distinct().Count());
        foreach (var type in resources.Select(r => r.TypeName).Distinct())
        {
            var page = await server.Client().SearchAsync(type, pageSize: 1000);
            Assert.Equal(page!.Entry.Count, resources.Count(r => r.TypeName == type));
        }

        // Raw means raw: the patients are who they are.
        var person = IdentifiableReports.Person(1);
        Assert.Contains(resources.OfType<Patient>(), p => p.Name[0].Family == person.Family && p.Identifier[0].Value == person.NationalId);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_de_identified_export_keeps_the_genomics_and_holds_nothing_that_identifies_a_person()
    {
        var raw = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync("$export"))));
        var manifest = await _bulk.WaitAsync(await _bulk.StartAsync("$export?_anonymizationConfig=registry"));
        Assert.Equal("registry", manifest.GetProperty("extension").GetProperty("anonymizationConfig").GetString());
        var lines = await _bulk.DownloadAsync(manifest);

        // The PHI scan, over every line of every file.
        foreach (var (_, line) in lines)
        {
            for (var n = 1; n <= SeededExportFixture.Patients; n++)
            {
                Assert.Null(IdentifiableReports.Person(n).FoundIn(line));
            }

            foreach (Match number in ElevenDigits().Matches(line))
            {
                var digits = number.Value.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
                Assert.NotEqual(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(digits, out _));
            }

            Assert.DoesNotContain("\"div\"", line, StringComparison.Ordinal);
        }

        var deidentified = BulkExportClient.Parse(lines);
        Assert.Equal(raw.Count, deidentified.Count);
        Assert.All(deidentified.OfType<Patient>(), p =>
        {
            Assert.Empty(p.Name);
            Assert.Empty(p.Telecom);
            Assert.All(p.Address, a => Assert.True(!a.Line.Any() && a.City is null && a.PostalCode is null));
            Assert.Matches("^[0-9]{4}$", p.BirthDate);
        });

        // Every variant and biomarker finding, value for value.
        Assert.Equal(Findings(raw), Findings(deidentified));
        Assert.Equal(
            raw.OfType<DiagnosticReport>().SelectMany(r => r.ConclusionCode.SelectMany(Codes)).Order(StringComparer.Ordinal),
            deidentified.OfType<DiagnosticReport>().SelectMany(r => r.ConclusionCode.SelectMany(Codes)).Order(StringComparer.Ordinal));
        Assert.Equal(
            raw.OfType<Condition>().SelectMany(c => Codes(c.Code)).Order(StringComparer.Ordinal),
            deidentified.OfType<Condition>().SelectMany(c => Codes(c.Code)).Order(StringComparer.Ordinal));
        Assert.Equal(
            raw.OfType<CarePlan>().Select(c => $"{c.Status}|{c.Intent}").Order(StringComparer.Ordinal),
            deidentified.OfType<CarePlan>().Select(c => $"{c.Status}|{c.Intent}").Order(StringComparer.Ordinal));

        // Ids are rewritten, and every reference still resolves inside the export.
        Assert.Empty(deidentified.Select(r => r.Id).Intersect(raw.Select(r => r.Id)));
        var exported = deidentified.Select(r => r.TypeName + "/" + r.Id).ToHashSet(StringComparer.Ordinal);
        var references = deidentified.SelectMany(References).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, exported));
    }

    [Fact]
    public async System.Threading.Tasks.Task Pseudonyms_are_the_same_in_two_de_identified_exports()
    {
        var first = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync("$export?_type=Patient&_anonymizationConfig=registry"))));
        var second = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync("$export?_type=Patient&_anonymizationConfig=registry"))));

        Assert.Equal(SeededExportFixture.Patients, first.Count);
        Assert.Equal(Pseudonyms(first), Pseudonyms(second));
        Assert.Equal(first.Select(p => p.Id).Order(StringComparer.Ordinal), second.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(SeededExportFixture.Patients, Pseudonyms(first).Distinct().Count());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_patient_export_holds_the_patients_compartments_and_a_group_export_only_its_members()
    {
        var patientLevel = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync("Patient/$export"))));
        Assert.DoesNotContain(patientLevel, r => r is Organization or ResearchStudy);
        Assert.Equal(SeededExportFixture.Patients, patientLevel.OfType<Patient>().Count());

        var members = new[] { server.PatientIds[1], server.PatientIds[3] };
        var group = await server.Client().CreateAsync(new Hl7.Fhir.Model.Group
        {
            Type = Hl7.Fhir.Model.Group.GroupType.Person,
            Actual = true,
            Member = [.. members.Select(id => new Hl7.Fhir.Model.Group.MemberComponent { Entity = new ResourceReference("Patient/" + id) })],
        });
        var groupLevel = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync($"Group/{group!.Id}/$export"))));

        Assert.Equal(members.Order(StringComparer.Ordinal), groupLevel.OfType<Patient>().Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(patientLevel.Count(r => PatientOf(r) is { } p && members.Contains(p)), groupLevel.Count);
        Assert.All(groupLevel, r => Assert.Contains(PatientOf(r), members));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_group_of_the_patients_of_a_cohort_exports_the_cohorts_subjects()
    {
        // A subject of the cohort, stored as enrolment would store it.
        var store = server.Services.GetRequiredService<IFhirStore>();
        var subject = new ResearchSubject
        {
            Id = "export-cohort-subject",
            Status = ResearchSubject.ResearchSubjectStatus.OnStudy,
            Study = new ResourceReference("ResearchStudy/cohort-vemcob-crc"),
            Individual = new ResourceReference("Patient/" + server.PatientIds[2]),
            Meta = new Meta { VersionId = "1", LastUpdated = DateTimeOffset.UtcNow },
        };
        await store.CommitAsync(StoreCommit.Of(new ResourceWrite(
            new ResourceVersion("ResearchSubject", subject.Id, 1, DateTimeOffset.UtcNow, false, Encoding.UTF8.GetBytes(FhirJson.Serialize(subject))),
            0,
            server.Services.GetRequiredService<SearchIndexer>().Index(subject))));
        var cohort = await server.Client().CreateAsync(new Hl7.Fhir.Model.Group
        {
            Type = Hl7.Fhir.Model.Group.GroupType.Person,
            Actual = false,
            Name = "The patients of cohort VEMCOB-CRC",
            Characteristic =
            [
                new Hl7.Fhir.Model.Group.CharacteristicComponent
                {
                    Code = new CodeableConcept("http://impress-norway.no/fhir/CodeSystem/impress-matching", "cohort"),
                    Value = new ResourceReference("ResearchStudy/cohort-vemcob-crc"),
                    Exclude = false,
                },
            ],
        });

        var exported = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync($"Group/{cohort!.Id}/$export"))));

        Assert.Equal([server.PatientIds[2]], exported.OfType<Patient>().Select(p => p.Id));
        Assert.Contains(exported, r => r is ResearchSubject { Id: "export-cohort-subject" });
        Assert.All(exported, r => Assert.Equal(server.PatientIds[2], PatientOf(r)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Type_filters_narrow_their_type_and_since_leaves_out_what_did_not_change()
    {
        var filter = Uri.EscapeDataString("Observation?code=http://loinc.org|69548-6");
        var filtered = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(await _bulk.StartAsync($"$export?_type=Observation,Patient&_typeFilter={filter}"))));

        Assert.Equal(SeededExportFixture.Patients, filtered.OfType<Patient>().Count());
        var observations = filtered.OfType<Observation>().ToList();
        Assert.NotEmpty(observations);
        Assert.All(observations, o => Assert.Contains(o.Code.Coding, c => c.System == "http://loinc.org" && c.Code == "69548-6"));

        var later = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var manifest = await _bulk.WaitAsync(await _bulk.StartAsync($"$export?_since={Uri.EscapeDataString(later)}"));
        Assert.Empty(manifest.GetProperty("output").EnumerateArray());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_kick_off_by_POST_with_Parameters_is_the_same_export()
    {
        var parameters = new Parameters();
        parameters.Add("_type", new FhirString("Patient"));
        parameters.Add("_anonymizationConfig", new FhirString("registry"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "$export")
        {
            Content = new StringContent(FhirJson.Serialize(parameters), Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Prefer", "respond-async");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var patients = BulkExportClient.Parse(await _bulk.DownloadAsync(await _bulk.WaitAsync(response.Content.Headers.ContentLocation!)));
        Assert.Equal(SeededExportFixture.Patients, patients.Count);
        Assert.All(patients.Cast<Patient>(), p => Assert.Empty(p.Name));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_capability_statement_lists_the_export_operations()
    {
        var capabilities = await server.Client().CapabilityStatementAsync();
        var rest = capabilities!.Rest[0];
        Assert.Contains(rest.Operation, o => o.Name == "export" && o.Definition == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        Assert.Contains(rest.Resource.Single(r => r.Type == "Patient").Operation, o => o.Definition == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export");
        Assert.Contains(rest.Resource.Single(r => r.Type == "Group").Operation, o => o.Definition == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
        Assert.Contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data", capabilities.Instantiates);
    }

    /// <summary>What a finding says: its code, and each component's code and value, as a comparable string.</summary>
    private static List<string> Findings(IEnumerable<Resource> resources) =>
        resources.OfType<Observation>()
            .Select(o => string.Join(";", Codes(o.Code).Concat([Value(o.Value)]).Concat(o.Component.Select(c => string.Join(",", Codes(c.Code)) + "=" + Value(c.Value)))))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Codes(CodeableConcept? concept) => concept?.Coding.Select(c => c.System + "|" + c.Code) ?? [];

    private static string Value(DataType? value) => value switch
    {
        null => "",
        CodeableConcept concept => string.Join(",", Codes(concept)),
        Quantity quantity => $"{quantity.Value}{quantity.Unit}",
        Hl7.Fhir.Model.Range range => $"{range.Low?.Value}-{range.High?.Value}",
        _ => FhirJson.Serialize(value),
    };

    private static IEnumerable<string> Pseudonyms(IEnumerable<Resource> patients) =>
        patients.Cast<Patient>().SelectMany(p => p.Identifier.Select(i => i.System + "|" + i.Value)).Order(StringComparer.Ordinal);

    private static IEnumerable<string> References(Resource resource) =>
        FhirTree.Descendants(resource).OfType<ResourceReference>().Select(r => r.Reference).OfType<string>().Where(r => !r.StartsWith('#'));

    private static string? PatientOf(Resource resource) => Impress.Fhir.Export.PatientCompartment.Default.PatientsOf(resource).FirstOrDefault();

    /// <summary>Eleven digits, also written 6 + 5 with a space or a dot, as people write national ids.</summary>
    [GeneratedRegex(@"(?<![0-9])[0-9]{6}[ .]?[0-9]{5}(?![0-9])")]
    private static partial Regex ElevenDigits();
}
