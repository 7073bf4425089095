using Impress.Fhir.Genomics;

namespace Impress.Fhir.Core.Tests.Genomics;

public sealed class ChromosomeTests
{
    [Theory]
    [InlineData("chr1", "1", "LA21254-0")]
    [InlineData("7", "7", "LA21260-7")]
    [InlineData("chr22", "22", "LA21275-5")]
    [InlineData("chrX", "X", "LA21276-3")]
    [InlineData("Y", "Y", "LA21277-1")]
    [InlineData("chrM", "M", null)]
    [InlineData("MT", "M", null)]
    public void Chromosomes_are_named_and_coded(string text, string name, string? loinc)
    {
        Assert.True(Chromosome.TryParse(text, out var chromosome));
        Assert.Equal((name, loinc), (chromosome.Name, chromosome.LoincAnswer));
    }

    [Theory]
    [InlineData("chr23")]
    [InlineData("chr")]
    [InlineData("chr7_gl000195_random")]
    public void Others_are_refused(string text) => Assert.False(Chromosome.TryParse(text, out _));
}
