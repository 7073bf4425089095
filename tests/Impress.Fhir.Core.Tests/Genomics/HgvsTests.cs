using Impress.Fhir.Genomics;

namespace Impress.Fhir.Core.Tests.Genomics;

public sealed class HgvsTests
{
    [Theory]
    [InlineData("NM_004333.6:c.1799T>A")]
    [InlineData("c.1799T>A")]
    [InlineData("NM_000059.4:c.5946del")]
    [InlineData("NM_000059.4:c.5946delT")]
    [InlineData("NM_005228.5:c.2235_2249del")]
    [InlineData("NM_005228.5:c.2573_2574delinsGA")]
    [InlineData("NM_000546.6:c.375+1G>A")]
    [InlineData("NM_000546.6:c.-29G>A")]
    [InlineData("NM_000546.6:c.*12del")]
    [InlineData("NM_001904.4:c.98_99insT")]
    [InlineData("NM_001904.4:c.100dup")]
    [InlineData("ENST00000288602.11:c.1799T>A")]
    [InlineData("NM_004333.6(BRAF):c.1799T>A")]
    public void Valid_coding(string value) => Assert.True(Hgvs.IsCoding(value));

    [Theory]
    [InlineData("1799T>A")]
    [InlineData("c.1799T->A")]
    [InlineData("NM_004333.6:p.(Val600Glu)")]
    [InlineData("c.1799TA")]
    [InlineData("NM_004333.6:c.1799T>A(p.(Val600Glu))")]
    [InlineData("")]
    public void Invalid_coding(string value) => Assert.False(Hgvs.IsCoding(value));

    [Theory]
    [InlineData("NP_004324.2:p.(Val600Glu)")]
    [InlineData("p.Val600Glu")]
    [InlineData("p.V600E")]
    [InlineData("p.(Lys17Arg)")]
    [InlineData("p.(Arg97ProfsTer23)")]
    [InlineData("p.(Arg97fs)")]
    [InlineData("p.(Glu746_Ala750del)")]
    [InlineData("p.(Ser768_Asp770dup)")]
    [InlineData("p.(His773_Val774insAsnProHis)")]
    [InlineData("p.(Cys28delinsTrpVal)")]
    [InlineData("p.(Trp288Ter)")]
    [InlineData("p.(Gln61*)")]
    [InlineData("p.(Leu41=)")]
    [InlineData("p.(=)")]
    [InlineData("p.Met1?")]
    [InlineData("p.?")]
    [InlineData("p.(Ter110GlnextTer17)")]
    public void Valid_protein(string value) => Assert.True(Hgvs.IsProtein(value));

    [Theory]
    [InlineData("V600E")]
    [InlineData("p.Val600Glx")]
    [InlineData("p.(Val600Glu")]
    [InlineData("BRAF p.V600E")]
    [InlineData("c.1799T>A")]
    [InlineData("NM_003811.2:c.123A>G(p.(Leu41=))")]
    public void Invalid_protein(string value) => Assert.False(Hgvs.IsProtein(value));

    [Theory]
    [InlineData("NC_000007.13:g.140453136A>T", true)]
    [InlineData("g.140453136_140453137delinsTT", true)]
    [InlineData("chr7:140453136A>T", false)]
    [InlineData("NC_000007.13:c.140453136A>T", false)]
    public void Genomic(string value, bool valid) => Assert.Equal(valid, Hgvs.IsGenomic(value));
}
