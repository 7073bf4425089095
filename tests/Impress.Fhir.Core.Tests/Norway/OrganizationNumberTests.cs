using Impress.Fhir.Norway;

namespace Impress.Fhir.Core.Tests.Norway;

public sealed class OrganizationNumberTests
{
    [Theory]
    [InlineData("993467049")]
    [InlineData("983974899")]
    [InlineData("993 467 049")]
    public void Valid_organisation_numbers_are_accepted(string text)
    {
        Assert.True(OrganizationNumber.TryParse(text, out var number));
        Assert.Equal(9, number.Value.Length);
    }

    [Theory]
    [InlineData("993467048")]
    [InlineData("99346704")]
    [InlineData("9934670490")]
    [InlineData("99346704A")]
    [InlineData("")]
    [InlineData(null)]
    public void Others_are_refused(string? text) => Assert.False(OrganizationNumber.TryParse(text, out _));
}
