using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Core.Tests.Storage;

/// <summary>The index holds what the specification's search parameter expressions select.</summary>
public sealed class SearchIndexerTests
{
    private readonly SearchIndexer _indexer = SearchIndexer.Default;

    [Fact]
    public void An_observation_is_indexed_by_identifier_subject_patient_code_and_status()
    {
        var observation = new Observation
        {
            Identifier = [new Identifier("urn:oid:2.16.578.1.12.4.1.4.102", "974589095-1")],
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "69548-6"),
            Subject = new ResourceReference("Patient/p1"),
        };

        var entries = _indexer.Index(observation);

        Assert.Equal(
            new[]
            {
                new SearchIndexEntry("code", "http://loinc.org", "69548-6"),
                new SearchIndexEntry("identifier", "urn:oid:2.16.578.1.12.4.1.4.102", "974589095-1"),
                new SearchIndexEntry("patient", null, "Patient/p1"),
                new SearchIndexEntry("status", null, "final"),
                new SearchIndexEntry("subject", null, "Patient/p1"),
            },
            entries.OrderBy(e => e.Parameter, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Group/g1", false)]
    [InlineData("Patient/p1", true)]
    [InlineData("https://ehr.example.org/fhir/Patient/p1", true)]
    [InlineData("Patient/p1/_history/3", true)]
    public void The_patient_parameter_takes_only_references_to_a_patient(string subject, bool indexed)
    {
        var report = new DiagnosticReport { Code = new CodeableConcept("http://loinc.org", "51969-4"), Subject = new ResourceReference(subject) };

        var patient = _indexer.Index(report).Where(e => e.Parameter == "patient").ToList();

        Assert.Equal(indexed, patient.Count == 1);
        Assert.Contains(_indexer.Index(report), e => e.Parameter == "subject");
    }

    [Fact]
    public void Paths_followed_on_the_poco_select_what_fhirpath_selects()
    {
        var carePlan = new CarePlan
        {
            Identifier = [new Identifier("http://impress-norway.no/fhir/careplan", "1"), new Identifier("urn:other", "2")],
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Proposal,
            Subject = new ResourceReference("Patient/p9"),
        };

        foreach (var parameter in SearchParameterRegistry.Default.For("CarePlan").Where(p => p.Code != "patient"))
        {
            var ours = SearchPath.Compile("CarePlan", parameter.Expression).Select(carePlan).Select(v => v.ToString()).ToList();
            var fhirPath = carePlan.Select(parameter.Expression).Select(v => v!.ToString()).ToList();
            Assert.Equal(fhirPath, ours);
        }
    }
}
