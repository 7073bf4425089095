using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests.Validation;

/// <summary>
/// The rewritten schemas (slice discriminators, memoized content, invariant shortcuts) must report exactly what the
/// profile validator reports with its schemas as compiled: the same issues, messages and locations, whether the
/// memo of validated content is cold or warm. Each case breaks what one rewrite decides.
/// </summary>
public sealed class SchemaRewritingTests(SchemaRewritingTests.Validators validators) : IClassFixture<SchemaRewritingTests.Validators>
{
    private static readonly Dictionary<string, Func<Resource>> Broken = new()
    {
        ["required slice missing (variant category)"] = () => WithVariant((o, _) => o.Component.RemoveAt(o.ComponentIndex("variant-category"))),
        ["slice repeated past its maximum"] = () => WithVariant((o, _) => o.Component.Add((Observation.ComponentComponent)o.Component[o.ComponentIndex("variant-category")].DeepCopy())),
        ["required binding in a slice"] = () => WithVariant((o, _) => ValueOf<CodeableConcept>(o, "48002-0").Coding[0].Code = "LA0000-0"),
        ["category slice missing"] = () => WithVariant((o, _) => o.Category.Clear()),
        ["code pattern not met"] = () => WithVariant((o, _) => o.Code.Coding[0].Code = "12345-6"),
        ["allele frequency above 1 (impress-var-1)"] = () => WithVariant((o, _) => ValueOf<Quantity>(o, Codes.AlleleFrequency).Value = 1.5m),
        ["malformed fusion breakpoint (impress-var-2)"] = () => WithVariant((o, _) => o.Component[o.ComponentIndex("fusion-breakpoint")].Value = new FhirString("chr2-42522654"), gene: "ALK"),
        ["range low above high (rng-2)"] = () => WithVariant((o, _) => ValueOf<Hl7.Fhir.Model.Range>(o, "81254-5").Low!.Value = 999_999_999m),
        ["quantity code without system (qty-3)"] = () => WithVariant((o, _) => ValueOf<Quantity>(o, Codes.AlleleFrequency).System = null),
        ["comparator in a simple quantity (sqty-1)"] = () => WithVariant((o, _) => ValueOf<Hl7.Fhir.Model.Range>(o, "81254-5").Low!.Comparator = Quantity.QuantityComparator.LessThan),
        ["local reference to nothing contained (ref-1)"] = () => WithVariant((o, _) => o.Specimen!.Reference = "#nowhere"),
        ["contained resource nobody references (dom-3)"] = () => WithVariant((o, _) => o.Contained.Add(new Organization { Id = "lab", Name = "Lab" })),
        ["contained resource with a version (dom-4)"] = () => WithVariant((o, _) =>
        {
            o.Contained.Add(new Organization { Id = "lab", Name = "Lab", Meta = new Meta { VersionId = "1" } });
            o.Performer.Add(new ResourceReference("#lab"));
        }),
        ["contained resource with security labels (dom-5)"] = () => WithVariant((o, _) =>
        {
            o.Contained.Add(new Organization { Id = "lab", Name = "Lab", Meta = new Meta { Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")] } });
            o.Performer.Add(new ResourceReference("#lab"));
        }),
        ["data absent reason beside a value (obs-6)"] = () => WithVariant((o, _) => o.DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown")),
        ["component coded as the observation (obs-7)"] = () => WithVariant((o, _) => o.Component.Add(new Observation.ComponentComponent { Code = (CodeableConcept)o.Code.DeepCopy(), Value = new FhirString("x") })),
        ["extension on a component coding"] = () => WithVariant((o, _) => o.Component[0].Code.Coding[0].Extension.Add(new Extension("http://example.org/unknown", new FhirString("x")))),
        ["required binding outside slices (clinical status)"] = () => WithEntry<Condition>(c => c.ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "not-a-status")),
        ["period ending before it starts (per-1)"] = () => WithEntry<Condition>(c => c.Onset = new Period { Start = "2024-05-01", End = "2023-01-01" }),
        ["telecom value without system (cpt-2)"] = () => WithEntry<Organization>(o => o.Telecom.Add(new ContactPoint { Value = "22 11 80 80" })),
        ["total in a transaction (bdl-1)"] = () => WithBundle(b => b.Total = 3),
        ["search in a transaction entry (bdl-2)"] = () => WithBundle(b => b.Entry[1].Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match }),
        ["transaction entry without request (bdl-3)"] = () => WithBundle(b => b.Entry[1].Request = null),
        ["response in a transaction entry (bdl-4)"] = () => WithBundle(b => b.Entry[1].Response = new Bundle.ResponseComponent { Status = "201" }),
        ["entry with nothing (bdl-5)"] = () => WithBundle(b => b.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:5d0b8b4e-0000-4000-8000-000000000000" })),
        ["duplicate fullUrl (bdl-7)"] = () => WithBundle(b => b.Entry[2].FullUrl = b.Entry[1].FullUrl),
        ["fullUrl with a version (bdl-8)"] = () => WithBundle(b => b.Entry[1].FullUrl = "https://ehr.example.org/fhir/Patient/1/_history/2"),
        ["document without identifier or timestamp (bdl-9, bdl-10)"] = () => WithBundle(b =>
        {
            b.Type = Bundle.BundleType.Document;
            b.Entry.ForEach(e => e.Request = null);
        }),
    };

    /// <summary>Valid instances that take the rewrites' less common paths.</summary>
    private static readonly Dictionary<string, Func<Resource>> Unusual = new()
    {
        ["element id on a coding"] = () => WithVariant((o, _) => o.Component[0].Code.Coding[0].ElementId = "coding-1"),
        ["reference with only a display"] = () => WithVariant((o, _) => o.Performer.Add(new ResourceReference { Display = "Somewhere" })),
        ["component in no slice"] = () => WithVariant((o, _) => o.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "12345-6"), Value = new FhirString("x") })),
    };

    public static TheoryData<string> BrokenCases() => [.. Broken.Keys];

    public static TheoryData<string> UnusualCases() => [.. Unusual.Keys];

    public static TheoryData<string> ExampleFiles() =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Examples, "*.json").Order().Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(BrokenCases))]
    public void A_broken_instance_gets_the_issues_of_the_schemas_as_compiled(string brokenCase)
    {
        var instance = Broken[brokenCase]();

        var compiled = validators.AsCompiled.Validate(instance).Describe();
        Assert.False(string.IsNullOrEmpty(compiled), $"'{brokenCase}' breaks nothing; it tests nothing.");

        Assert.Equal(compiled, validators.Rewritten.Validate(instance).Describe());
        Assert.Equal(compiled, validators.Rewritten.Validate(Broken[brokenCase]()).Describe());
    }

    [Theory]
    [MemberData(nameof(UnusualCases))]
    public void An_unusual_valid_instance_gets_the_outcome_of_the_schemas_as_compiled(string unusualCase)
    {
        var instance = Unusual[unusualCase]();

        Assert.Equal(validators.AsCompiled.Validate(instance).Describe(), validators.Rewritten.Validate(instance).Describe());
        Assert.Equal(validators.AsCompiled.Validate(instance).Describe(), validators.Rewritten.Validate(Unusual[unusualCase]()).Describe());
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void An_example_gets_the_outcome_of_the_schemas_as_compiled(string file)
    {
        var instance = FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Examples, file))).Resource;

        Assert.Equal(validators.AsCompiled.Validate(instance).Describe(), validators.Rewritten.Validate(instance).Describe());
    }

    [Fact]
    public void A_value_seen_clean_before_does_not_hide_a_broken_one_beside_it()
    {
        var report = SyntheticReports.Create(8, patient: 7);
        Assert.Empty(validators.Rewritten.Validate(report).Issues);

        var v = report.IndexOf(SyntheticReports.IsVariant);
        ValueOf<Quantity>(report.Resource<Observation>(v), Codes.AlleleFrequency).Value = 2m;

        var issues = validators.Rewritten.Validate(report);
        Assert.Equal(validators.AsCompiled.Validate(report).Describe(), issues.Describe());
        Assert.Contains(issues.Issues, i => i.IsError && i.Expression!.StartsWith($"Bundle.entry[{v}].resource.component", StringComparison.Ordinal));
    }

    private static T ValueOf<T>(Observation observation, string componentCode) where T : DataType =>
        (T)observation.Component[observation.ComponentIndex(componentCode)].Value!;

    private static Bundle WithVariant(Action<Observation, Bundle> breakIt, string gene = "BRAF")
    {
        var bundle = ValidatorFixture.ExampleReport();
        breakIt(bundle.Resource<Observation>(bundle.IndexOfVariant(gene)), bundle);
        return bundle;
    }

    private static Bundle WithEntry<T>(Action<T> breakIt) where T : Resource
    {
        var bundle = ValidatorFixture.ExampleReport();
        breakIt(bundle.Resource<T>(bundle.IndexOf(r => r is T)));
        return bundle;
    }

    private static Bundle WithBundle(Action<Bundle> breakIt)
    {
        var bundle = ValidatorFixture.ExampleReport();
        breakIt(bundle);
        return bundle;
    }

    /// <summary>A validator with the schemas as the profile validator compiles them, and one with them rewritten, warmed on the clean example.</summary>
    public sealed class Validators
    {
        public Validators()
        {
            AsCompiled = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles, RewriteSchemas = false });
            Rewritten = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles });
            Rewritten.Validate(ValidatorFixture.ExampleReport());
            Rewritten.Validate(SyntheticReports.Create(40));
        }

        public ImpressValidator AsCompiled { get; }

        public ImpressValidator Rewritten { get; }
    }
}
