using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Core.Tests;

/// <summary>One validator over the working tree's package for all tests: building one compiles schemas.</summary>
public sealed class ValidatorFixture
{
    public ImpressValidator Validator { get; } = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = RepositoryPaths.Profiles });

    /// <summary>A fresh copy of the shipped example report, to break in one place.</summary>
    public static Bundle ExampleReport() => (Bundle)FhirJsonReader.Default.Read(File.ReadAllBytes(RepositoryPaths.ExampleReportBundle)).Resource;
}

[CollectionDefinition(Name)]
public sealed class ValidatorCollection : ICollectionFixture<ValidatorFixture>
{
    public const string Name = "validator";
}
