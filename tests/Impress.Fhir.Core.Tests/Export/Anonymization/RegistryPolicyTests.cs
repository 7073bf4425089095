using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using static Impress.Fhir.Core.Tests.Export.Anonymization.AnonymizationTestData;

namespace Impress.Fhir.Core.Tests.Export.Anonymization;

/// <summary>The shipped policy on the package's example report, as the store holds it, made more identifying than it is.</summary>
public sealed class RegistryPolicyTests
{
    private const string Street = "Testveien 12";
    private const string PostalCode = "3015";
    private const string City = "Drammen";
    private const string Phone = "+47 99887766";

    private static readonly AnonymizationPolicy Registry = AnonymizationPolicy.Registry.WithKeys(Keys);

    [Fact]
    public void Nothing_that_identifies_the_patient_is_left()
    {
        var report = IdentifiableReport(1);
        var patient = report.OfType<Patient>().Single();
        var nationalId = patient.Identifier[0].Value!;
        var storedIds = report.Select(resource => resource.Id!).ToList();

        var json = string.Join("\n", Anonymize(report).Select(Json));

        foreach (var forbidden in new[] { "Kari", "Testesen", nationalId, Street, PostalCode, City, Phone, "1961-03-15", "2024-05-02" }.Concat(storedIds))
        {
            Assert.DoesNotContain(forbidden, json, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var freeText in new[] { "\"text\":{", "\"div\"", "\"conclusion\"", "Adenocarcinoma of the sigmoid colon", "\"note\"", "\"presentedForm\"", "\"display\":\"Oslo" })
        {
            Assert.DoesNotContain(freeText, json);
        }
    }

    [Fact]
    public void The_patient_keeps_the_birth_year_gender_and_country()
    {
        var patient = (Patient)Anonymize(IdentifiableReport(1)).Single(resource => resource is Patient);

        Assert.Equal("1961", patient.BirthDate);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
        Assert.Equal("NO", patient.Address.Single().Country);
        Assert.Empty(patient.Name);
        Assert.Empty(patient.Telecom);
        Assert.Equal("urn:oid:2.16.578.1.12.4.1.4.1", patient.Identifier.Single().System);
    }

    [Fact]
    public void Genomic_findings_codes_and_extensions_are_identical_to_the_input()
    {
        var report = IdentifiableReport(1);
        var before = report.OfType<Observation>().Select(Findings).ToList();
        var diagnosisBefore = report.OfType<Condition>().Single();
        var codesBefore = (Json(diagnosisBefore.Code!.Coding[0]), Json(diagnosisBefore.Extension.Single()));
        var reportCodeBefore = Json(report.OfType<DiagnosticReport>().Single().Code);

        var anonymized = Anonymize(report);

        Assert.Equal(before, anonymized.OfType<Observation>().Select(Findings));
        var diagnosis = anonymized.OfType<Condition>().Single();
        Assert.Equal(codesBefore, (Json(diagnosis.Code!.Coding[0]), Json(diagnosis.Extension.Single())));
        Assert.Equal(reportCodeBefore, Json(anonymized.OfType<DiagnosticReport>().Single().Code));
        Assert.Contains(anonymized.OfType<Observation>(), observation => observation.Code.Coding[0].Code == "94076-7" && ((Quantity)observation.Value!).Value == 7.8m);
        Assert.Contains(anonymized.OfType<Observation>(), observation => observation.Code.Coding[0].Code == "81695-9" && ((CodeableConcept)observation.Value!).Coding[0].Code == "LA14122-8");
    }

    [Fact]
    public void References_resolve_to_the_rewritten_ids()
    {
        var anonymized = Anonymize(IdentifiableReport(1));
        var ids = anonymized.Select(resource => $"{resource.TypeName}/{resource.Id}").ToHashSet();

        var references = anonymized.SelectMany(ReferencesIn).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, ids));
        Assert.All(anonymized, resource => Assert.Matches("^[0-9a-f]{64}$", resource.Id));
    }

    [Fact]
    public void Dates_move_together_for_one_patient_and_apart_for_two()
    {
        static (int Shift, int Interval) Dates(IReadOnlyList<Resource> resources)
        {
            var reported = DateOnly.Parse(((FhirDateTime)resources.OfType<DiagnosticReport>().Single().Effective!).Value!, CultureInfo.InvariantCulture);
            var onset = DateOnly.Parse(((FhirDateTime)resources.OfType<Condition>().Single().Onset!).Value!, CultureInfo.InvariantCulture);
            return (reported.DayNumber - new DateOnly(2024, 5, 2).DayNumber, reported.DayNumber - onset.DayNumber);
        }

        var first = Dates(Anonymize(IdentifiableReport(1)));
        var second = Dates(Anonymize(IdentifiableReport(2)));

        Assert.Equal(new DateOnly(2024, 5, 2).DayNumber - new DateOnly(2023, 11, 20).DayNumber, first.Interval);
        Assert.Equal(first.Interval, second.Interval);
        Assert.InRange(Math.Abs(first.Shift), 1, 50);
        Assert.NotEqual(first.Shift, second.Shift);
    }

    [Fact]
    public void Pseudonyms_are_stable_under_one_key_and_unlinkable_under_another()
    {
        var once = Anonymize(IdentifiableReport(1)).Select(Json).ToList();
        var again = Anonymize(IdentifiableReport(1)).Select(Json).ToList();
        var otherKeys = Anonymize(IdentifiableReport(1), AnonymizationPolicy.Registry.WithKeys(Keys with { CryptoHashKey = "another-crypto-hash-key" }));

        Assert.Equal(once, again);
        var patient = (Patient)Anonymize(IdentifiableReport(1)).Single(resource => resource is Patient);
        var otherPatient = (Patient)otherKeys.Single(resource => resource is Patient);
        Assert.NotEqual(patient.Id, otherPatient.Id);
        Assert.NotEqual(patient.Identifier[0].Value, otherPatient.Identifier[0].Value);
    }

    [Fact]
    public void The_trials_studies_keep_their_identifiers_and_the_hospital_all_but_its_id_and_narrative()
    {
        var anonymizer = Anonymizer(Registry);
        var study = (ResearchStudy)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Examples, "ResearchStudy-impress-norway.json"))).Resource;
        var hospital = StoredReport(1).OfType<Organization>().Single();

        anonymizer.Anonymize(study, AnonymizationSubject.None);
        anonymizer.Anonymize(hospital, AnonymizationSubject.None);

        Assert.Equal(["NCT04817956", "2020-004414-35"], study.Identifier.Select(identifier => identifier.Value));
        Assert.Equal(ResearchStudy.ResearchStudyStatus.Active, study.Status);
        Assert.Equal("IMPRESS-Norway: Improving public cancer care by implementing precision medicine in Norway", study.Title);
        Assert.Equal("993467049", hospital.Identifier.Single().Value);
        Assert.Equal("Oslo universitetssykehus HF", hospital.Name);
        Assert.Equal(("Oslo", "NO"), (hospital.Address.Single().City, hospital.Address.Single().Country));
        Assert.Null(hospital.Text);
        Assert.Matches("^[0-9a-f]{64}$", hospital.Id);
    }

    [Fact]
    public void A_care_plan_keeps_its_status_and_activities_and_loses_its_notes()
    {
        var carePlan = (CarePlan)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Examples, "CarePlan-impress-example-careplan.json"))).Resource;
        carePlan.Note.Add(new Annotation { Text = "Discussed with Kari Testesen" });
        var activities = carePlan.Activity.Select(activity => Json(activity.Detail!)).ToList();
        var subject = new AnonymizationSubject("impress-example-patient", ["Kari", "Testesen"]);

        Anonymizer(Registry).Anonymize(carePlan, subject);

        Assert.Equal(RequestStatus.Draft, carePlan.Status);
        Assert.Equal(activities, carePlan.Activity.Select(activity => Json(activity.Detail!)));
        Assert.Empty(carePlan.Note);
        Assert.Null(carePlan.Extension.Single().Value is ResourceReference { Display: { } display } ? display : null);
    }

    [Fact]
    public void A_bundle_is_anonymized_entry_by_entry_and_its_references_still_resolve()
    {
        var bundle = ExampleReports.OfPatient(3);
        var nationalId = bundle.Entry.Select(entry => entry.Resource).OfType<Patient>().Single().Identifier[0].Value!;
        var subject = AnonymizationSubject.Of(bundle.Entry.Select(entry => entry.Resource).OfType<Patient>().Single());

        var emitted = (Bundle)Anonymizer(Registry).Anonymize(bundle, subject);

        var json = Json(emitted);
        Assert.DoesNotContain(nationalId, json);
        Assert.DoesNotContain("Testesen", json);
        Assert.All(emitted.Entry, entry => Assert.Null(entry.Request));
        var fullUrls = emitted.Entry.Select(entry => entry.FullUrl).ToHashSet();
        Assert.All(fullUrls, fullUrl => Assert.Matches("^urn:uuid:[0-9a-f]{64}$", fullUrl));
        var references = emitted.Entry.SelectMany(entry => ReferencesIn(entry.Resource!)).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, fullUrls));
    }

    [Fact]
    public void One_anonymizer_on_many_threads_gives_what_it_gives_on_one()
    {
        var anonymizer = Anonymizer(Registry);
        var reports = Enumerable.Range(10, 40).Select(IdentifiableReport).ToList();
        var sequential = Enumerable.Range(10, 40).Select(IdentifiableReport).Select(report => Anonymize(report, anonymizer).Select(Json).ToList()).ToList();

        var parallel = new List<string>[reports.Count];
        Parallel.For(0, reports.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Anonymize(reports[i], anonymizer).Select(Json).ToList());

        Assert.Equal(sequential, parallel);
    }

    /// <summary>The example report, its patient given what a hospital record holds besides: an address, a phone, notes.</summary>
    internal static IReadOnlyList<Resource> IdentifiableReport(int n)
    {
        var report = StoredReport(n);
        var patient = report.OfType<Patient>().Single();
        var nationalId = patient.Identifier[0].Value;
        patient.Address.Add(new Address { Line = [Street], PostalCode = PostalCode, City = City, Country = "NO" });
        patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, Phone));
        var diagnosis = report.OfType<Condition>().Single();
        diagnosis.Note.Add(new Annotation { Text = $"Referred by the GP of Kari Testesen ({nationalId}), {Street}." });
        var diagnosticReport = report.OfType<DiagnosticReport>().Single();
        diagnosticReport.PresentedForm.Add(new Attachment { ContentType = "application/pdf", Title = "Report for Kari Testesen.pdf", Data = [0x25, 0x50, 0x44, 0x46] });
        diagnosticReport.Extension.Add(new Extension("http://example.org/fhir/StructureDefinition/lab-comment", new FhirString($"Sample of Kari Testesen, {nationalId}")));
        return report;
    }

    private static IReadOnlyList<Resource> Anonymize(IReadOnlyList<Resource> report, AnonymizationPolicy? policy = null) =>
        Anonymize(report, Anonymizer(policy ?? Registry));

    private static IReadOnlyList<Resource> Anonymize(IReadOnlyList<Resource> report, Anonymizer anonymizer)
    {
        var subject = AnonymizationSubject.Of(report.OfType<Patient>().Single());
        return report.Select(resource => anonymizer.Anonymize(resource, resource is Organization ? AnonymizationSubject.None : subject)).ToList();
    }

    /// <summary>What an Observation finds: its code, value and every component's code and value.</summary>
    private static string Findings(Observation observation) =>
        string.Join("|", [Json(observation.Code), observation.Value is null ? "" : Json(observation.Value), .. observation.Component.Select(c => Json(c.Code) + Json(c.Value!))]);

    private static IEnumerable<string> ReferencesIn(Resource resource)
    {
        var references = new List<string>();
        Collect(resource);
        return references;

        void Collect(Base element)
        {
            foreach (var (_, value) in element.EnumerateElements())
            {
                foreach (var child in value as IEnumerable<Base> ?? [(Base)value])
                {
                    if (child is ResourceReference { Reference: { } reference })
                    {
                        references.Add(reference);
                    }

                    Collect(child);
                }
            }
        }
    }
}
