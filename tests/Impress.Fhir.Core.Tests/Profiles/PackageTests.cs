using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Profiles;

public sealed class PackageTests
{
    private readonly ProfilePackage _package = ProfilePackage.Load(RepositoryPaths.Profiles);

    [Fact]
    public void The_manifest_names_the_package_and_its_dependency()
    {
        Assert.Equal("no.impress.fhir", _package.Manifest.Name);
        Assert.Equal("http://impress-norway.no/fhir", _package.Manifest.Canonical);
        Assert.Equal(["4.0.1"], _package.Manifest.FhirVersions);
        Assert.Equal("4.0.1", _package.Manifest.Dependencies["hl7.fhir.r4.core"]);
    }

    [Fact]
    public void Every_conformance_resource_lives_in_the_package_canonical_and_is_named_after_its_id()
    {
        foreach (var file in _package.ResourceFiles())
        {
            var resource = FhirJsonReader.Default.Read(File.ReadAllBytes(file)).Resource;
            var canonical = Assert.IsAssignableFrom<IConformanceResource>(resource);
            Assert.Equal($"{resource.TypeName}-{resource.Id}.json", Path.GetFileName(file));
            Assert.Equal($"{_package.Manifest.Canonical}/{resource.TypeName}/{resource.Id}", canonical.Url);
        }
    }

    [Fact]
    public void Every_structure_definition_carries_differential_and_snapshot()
    {
        var definitions = _package.StructureDefinitionFiles.ToList();
        Assert.Contains(definitions, f => f.EndsWith("StructureDefinition-impress-variant.json", StringComparison.Ordinal));
        foreach (var file in definitions)
        {
            var definition = (StructureDefinition)FhirJsonReader.Default.Read(File.ReadAllBytes(file)).Resource;
            Assert.NotEmpty(definition.Differential!.Element);
            Assert.True(definition.Snapshot?.Element.Count > 0, $"{Path.GetFileName(file)} has no snapshot: run 'impress profiles snapshot'.");
        }
    }

    [Fact]
    public void A_folder_without_package_json_is_refused()
    {
        var empty = Directory.CreateTempSubdirectory("impress-nopackage");
        try
        {
            Assert.Throws<FileNotFoundException>(() => ProfilePackage.Load(empty.FullName));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
