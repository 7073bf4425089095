using Hl7.Fhir.Model;
using Impress.Fhir.Validation.Schemas;

namespace Impress.Fhir.Core.Tests.Validation;

/// <summary>A content key stands for a value's whole content: equal keys, equal content; no key where context matters.</summary>
public sealed class ContentKeyTests
{
    [Fact]
    public void Equal_content_has_equal_keys()
    {
        Assert.Equal(ContentKey.Of(new Coding("http://loinc.org", "48018-6", "Gene")), ContentKey.Of(new Coding("http://loinc.org", "48018-6", "Gene")));
        Assert.Equal(ContentKey.Of(new Quantity(0.31m, "1")), ContentKey.Of(new Quantity(0.31m, "1")));
    }

    [Theory]
    [InlineData("a|b", "c", "a", "b|c")]
    [InlineData("a\"", "b", "a", "\"b")]
    [InlineData("a\\", "\"b", "a", "\\\"b")]
    [InlineData("", "x", null, "x")]
    public void Values_that_differ_anywhere_have_different_keys(string? system1, string code1, string? system2, string code2)
    {
        Assert.NotEqual(ContentKey.Of(new Coding(system1, code1)), ContentKey.Of(new Coding(system2, code2)));
    }

    [Fact]
    public void A_concept_key_covers_its_text_and_every_coding()
    {
        var concept = new CodeableConcept("http://loinc.org", "LA6684-0", "Somatic", "somatic");
        var otherText = new CodeableConcept("http://loinc.org", "LA6684-0", "Somatic", "germline");
        var moreCodings = new CodeableConcept("http://loinc.org", "LA6684-0", "Somatic", "somatic");
        moreCodings.Coding.Add(new Coding("http://snomed.info/sct", "1"));

        Assert.NotEqual(ContentKey.Of(concept), ContentKey.Of(otherText));
        Assert.NotEqual(ContentKey.Of(concept), ContentKey.Of(moreCodings));
    }

    [Fact]
    public void An_element_id_is_content()
    {
        var plain = new Coding("http://loinc.org", "48018-6");
        var withId = new Coding("http://loinc.org", "48018-6") { ElementId = "c1" };
        var withIdOnCode = new Coding("http://loinc.org", "48018-6");
        withIdOnCode.CodeElement!.ElementId = "c1";

        Assert.NotNull(ContentKey.Of(withId));
        Assert.NotEqual(ContentKey.Of(plain), ContentKey.Of(withId));
        Assert.NotEqual(ContentKey.Of(plain), ContentKey.Of(withIdOnCode));
    }

    [Fact]
    public void No_key_for_values_whose_validation_looks_beyond_them()
    {
        var extended = new Coding("http://loinc.org", "48018-6");
        extended.Extension.Add(new Extension("http://example.org/x", new FhirString("x")));
        var extendedCode = new Coding("http://loinc.org", "48018-6");
        extendedCode.CodeElement!.Extension.Add(new Extension("http://example.org/x", new FhirString("x")));
        var identifierWithAssigner = new Identifier("urn:oid:2.16.578.1.12.4.1.4.1", "1") { Assigner = new ResourceReference("Organization/1") };

        Assert.Null(ContentKey.Of(extended));
        Assert.Null(ContentKey.Of(extendedCode));
        Assert.Null(ContentKey.Of(identifierWithAssigner));
        Assert.Null(ContentKey.Of(new ResourceReference("#contained")));
        Assert.Null(ContentKey.Of(new ResourceReference { Display = "no literal" }));
        Assert.NotNull(ContentKey.Of(new ResourceReference("urn:uuid:e76c0b09-427a-5879-91b2-0c7ca557462e")));
    }
}
