using Hl7.Fhir.Model;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Validation;

/// <summary>The Firely validator is not thread-safe; ours must be, with the same result on every thread.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class ConcurrencyTests(ValidatorFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Many_threads_validating_at_once_get_the_single_threaded_result()
    {
        var broken = ValidatorFixture.ExampleReport();
        broken.Resource<Patient>(broken.IndexOf(x => x is Patient)).Identifier[0].Value = "00000000000";
        var expectedBroken = fixture.Validator.Validate(broken).Describe();
        var valid = SyntheticReports.Create(40);

        var runs = Enumerable.Range(0, 16).Select(i => System.Threading.Tasks.Task.Run(() =>
            i % 2 == 0 ? fixture.Validator.Validate(valid).Describe() : fixture.Validator.Validate(broken).Describe()));
        var results = await System.Threading.Tasks.Task.WhenAll(runs);

        Assert.NotEmpty(expectedBroken);
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal("", r));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(expectedBroken, r));
    }

    [Fact]
    public void A_large_bundle_gives_the_same_issues_in_parallel_as_on_one_thread()
    {
        var bundle = SyntheticReports.Create(300);
        var v = bundle.IndexOf(r => SyntheticReports.IsVariant(r));
        bundle.Resource<Observation>(bundle.Entry.Count - 1).Subject!.Reference = "urn:uuid:00000000-0000-0000-0000-000000000001";
        bundle.Resource<Observation>(v).Status = null;

        var single = Impress.Fhir.Validation.ImpressValidator.Create(new() { ProfilesDirectory = RepositoryPaths.Profiles, MaxDegreeOfParallelism = 1 }).Validate(bundle);
        var parallel = fixture.Validator.Validate(bundle);

        Assert.False(single.IsValid);
        Assert.Equal(single.Describe(), parallel.Describe());
    }
}
