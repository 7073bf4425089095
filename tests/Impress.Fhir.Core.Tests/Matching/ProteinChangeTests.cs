using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Core.Tests.Matching;

public sealed class ProteinChangeTests
{
    [Theory]
    [InlineData("NP_004324.2:p.(Val600Glu)", "V600E", 'V', 600)]
    [InlineData("p.V600E", "V600E", 'V', 600)]
    [InlineData("p.(Arg1450Ter)", "R1450*", 'R', 1450)]
    [InlineData("p.(Ser1982ArgfsTer22)", "S1982Rfs*22", 'S', 1982)]
    [InlineData("p.(Asp770_Asn771insGly)", "D770_N771insG", 'D', 770)]
    [InlineData("p.(Ile391=)", "I391=", 'I', 391)]
    [InlineData("p.V600", "V600", 'V', 600)]
    public void Reads_lab_and_protocol_notation_to_one_canonical_form(string text, string canonical, char residue, int position)
    {
        Assert.True(ProteinChange.TryParse(text, out var change));
        Assert.Equal((canonical, residue, position), (change!.Canonical, change.Reference, change.Position));
    }

    [Theory]
    [InlineData("V600E")]
    [InlineData("c.1799T>A")]
    [InlineData("p.")]
    [InlineData("")]
    public void Refuses_what_is_not_a_protein_change(string text) => Assert.False(ProteinChange.TryParse(text, out _));

    [Fact]
    public void A_residue_alone_is_a_wildcard()
    {
        ProteinPattern.TryParse("p.V600", out var wildcard);
        ProteinPattern.TryParse("p.Val600Glu", out var exact);
        ProteinChange.TryParse("NP_004324.2:p.(Val600Lys)", out var v600k);

        Assert.True(wildcard!.IsWildcard);
        Assert.True(wildcard.Matches(v600k!));
        Assert.False(exact!.IsWildcard);
        Assert.False(exact.Matches(v600k!));
    }
}
