using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Validation;

[Collection(ValidatorCollection.Name)]
public sealed class ExampleTests(ValidatorFixture fixture)
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Examples, "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_validates_without_errors_or_warnings(string file)
    {
        var document = FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Examples, file)));

        var result = fixture.Validator.Validate(document);

        Assert.True(result.Issues.Count == 0, string.Join("\n", result.Issues.Select(i => $"{i.Severity} {i.Expression}: {i.Message}")));
    }

    [Fact]
    public void The_examples_cover_every_profile_of_the_package()
    {
        var declared = Directory.EnumerateFiles(RepositoryPaths.Examples, "*.json")
            .Select(f => FhirJsonReader.Default.Read(File.ReadAllBytes(f)).Resource)
            .SelectMany(r => r is Hl7.Fhir.Model.Bundle b ? b.Entry.Select(e => e.Resource) : [r])
            .SelectMany(r => r!.Meta?.Profile ?? [])
            .ToHashSet();

        var resourceProfiles = Directory.EnumerateFiles(RepositoryPaths.Profiles, "StructureDefinition-impress-*.json")
            .Select(f => "http://impress-norway.no/fhir/StructureDefinition/" + Path.GetFileNameWithoutExtension(f)["StructureDefinition-".Length..]);

        Assert.All(resourceProfiles, p => Assert.Contains(p, declared));
    }

    [Fact]
    public void Synthetic_reports_of_any_size_validate_clean()
    {
        var result = fixture.Validator.Validate(SyntheticReports.Create(40));

        Assert.True(result.IsValid, string.Join("\n", result.Issues.Select(i => $"{i.Expression}: {i.Message}")));
        Assert.Empty(result.Issues);
    }
}
