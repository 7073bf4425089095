using Impress.Fhir.Norway;

namespace Impress.Fhir.Core.Tests.Norway;

public sealed class NorwegianIdentityNumberTests
{
    [Theory]
    [InlineData("150160", NorwegianIdentityNumberKind.NationalIdentityNumber, false, 15, 1)]
    [InlineData("550160", NorwegianIdentityNumberKind.DNumber, false, 15, 1)]
    [InlineData("154160", NorwegianIdentityNumberKind.HNumber, false, 15, 1)]
    [InlineData("158160", NorwegianIdentityNumberKind.NationalIdentityNumber, true, 15, 1)]
    [InlineData("558160", NorwegianIdentityNumberKind.DNumber, true, 15, 1)]
    public void Valid_numbers_of_each_kind(string ddmmyy, NorwegianIdentityNumberKind kind, bool synthetic, int day, int month)
    {
        var value = TestData.ValidNumber(ddmmyy);

        Assert.Equal(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(value, out var number));
        Assert.Equal(kind, number.Kind);
        Assert.Equal(synthetic, number.IsSynthetic);
        Assert.Equal(day, number.BirthDate.Day);
        Assert.Equal(month, number.BirthDate.Month);
    }

    [Fact]
    public void Individual_numbers_give_the_century()
    {
        Assert.Equal(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(TestData.WithCheckDigits("010160123") ?? TestData.WithCheckDigits("010160124"), out var old));
        Assert.Equal(1960, old.BirthDate.Year);

        var young = Enumerable.Range(500, 400).Select(i => TestData.WithCheckDigits("010110" + i)).First(n => n is not null);
        Assert.Equal(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(young, out var recent));
        Assert.Equal(2010, recent.BirthDate.Year);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234567890")]
    [InlineData("123456789012")]
    [InlineData("1501601234a")]
    [InlineData(" 15016012345")]
    public void Not_eleven_digits(string? value) =>
        Assert.Equal(NorwegianIdentityNumberError.NotElevenDigits, NorwegianIdentityNumber.TryParse(value, out _));

    [Fact]
    public void Every_single_digit_typo_is_caught()
    {
        var value = TestData.ValidNumber("150160");
        for (var position = 0; position < 11; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == value[position])
                {
                    continue;
                }

                var typo = value[..position] + digit + value[(position + 1)..];
                Assert.NotEqual(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(typo, out _));
            }
        }
    }

    [Theory]
    [InlineData("320160")]
    [InlineData("300260")]
    [InlineData("001360")]
    [InlineData("150060")]
    [InlineData("720160")]
    public void Impossible_dates(string ddmmyy) =>
        Assert.Equal(NorwegianIdentityNumberError.InvalidDate, NorwegianIdentityNumber.TryParse(TestData.ValidNumber(ddmmyy), out _));

    [Fact]
    public void Leap_day_is_valid_in_a_leap_year_only()
    {
        Assert.Equal(NorwegianIdentityNumberError.None, NorwegianIdentityNumber.TryParse(TestData.ValidNumber("290260"), out _));
        Assert.Equal(NorwegianIdentityNumberError.InvalidDate, NorwegianIdentityNumber.TryParse(TestData.ValidNumber("290261"), out _));
    }
}
