using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Tso500;

public sealed class FusionGenePairTests
{
    private static readonly HashSet<string> Panel = new(StringComparer.OrdinalIgnoreCase) { "ALK", "ROS1", "NKX2-1", "RET", "PAX8", "PPARG" };

    [Theory]
    [InlineData("EML4-ALK", "EML4", "ALK")]
    [InlineData("SLC34A2-ROS1;GOPC", "SLC34A2", "ROS1|GOPC")]
    [InlineData("PPARG/AC016683.6;PAX8", "PPARG", "AC016683.6|PAX8")]
    [InlineData("NKX2-1-ROS1", "NKX2-1", "ROS1")]
    [InlineData("KIF5B::RET", "KIF5B", "RET")]
    [InlineData("HLA-A-ROS1", "HLA-A", "ROS1")]
    public void Reads_both_partners_with_their_candidates(string pair, string fivePrime, string threePrime)
    {
        Assert.True(FusionGenePair.TryParse(pair, Panel.Contains, out var five, out var three));

        Assert.Equal(fivePrime, string.Join('|', five));
        Assert.Equal(threePrime, string.Join('|', three));
    }

    [Theory]
    [InlineData("ALK")]
    [InlineData("EML4-")]
    [InlineData("-ALK")]
    [InlineData("EML4-ALK;")]
    [InlineData("EML4 ALK")]
    public void Refuses_what_is_not_two_partners(string pair) =>
        Assert.False(FusionGenePair.TryParse(pair, Panel.Contains, out _, out _));
}
