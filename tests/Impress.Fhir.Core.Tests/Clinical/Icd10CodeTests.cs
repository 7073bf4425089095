using Impress.Fhir.Clinical;

namespace Impress.Fhir.Core.Tests.Clinical;

public sealed class Icd10CodeTests
{
    [Theory]
    [InlineData("C18.7", "C18.7", "C18")]
    [InlineData("c187", "C18.7", "C18")]
    [InlineData(" C34 ", "C34", "C34")]
    [InlineData("D48.1", "D48.1", "D48")]
    public void Codes_are_read_in_the_dotted_form(string text, string value, string category)
    {
        Assert.True(Icd10Code.TryParse(text, out var code));
        Assert.Equal((value, category), (code.Value, code.Category));
    }

    [Theory]
    [InlineData("C1")]
    [InlineData("lung")]
    [InlineData("C18.77777")]
    [InlineData("18.7")]
    public void Others_are_refused(string text) => Assert.False(Icd10Code.TryParse(text, out _));

    [Theory]
    [InlineData("C18.7", true)]
    [InlineData("D05.1", true)]
    [InlineData("D50", false)]
    [InlineData("J45", false)]
    public void Neoplasms_are_told_apart(string text, bool neoplasm)
    {
        Icd10Code.TryParse(text, out var code);
        Assert.Equal(neoplasm, code.IsNeoplasm);
    }
}
