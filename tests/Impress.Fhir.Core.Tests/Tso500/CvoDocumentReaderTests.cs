using System.Text;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Tso500;

public sealed class CvoDocumentReaderTests
{
    private static CvoDocument Read(string text, string name = "test.tsv") => CvoDocumentReader.Read(Encoding.UTF8.GetBytes(text), name);

    [Fact]
    public void A_byte_order_mark_and_CRLF_line_ends_read_as_the_plain_file_does()
    {
        var plain = CvoDocumentReader.Read(Encoding.UTF8.GetBytes(Tso500Fixtures.Text(Tso500Fixtures.DragenDna).Replace("\r\n", "\n")), "plain");
        var windows = CvoDocumentReader.Read(Tso500Fixtures.Bytes(Tso500Fixtures.DragenDna), "windows");

        Assert.Equal(0xEF, Tso500Fixtures.Bytes(Tso500Fixtures.DragenDna)[0]);
        Assert.Equal(plain.Sections.Select(s => (s.Name, s.Line, s.Lines.Count)), windows.Sections.Select(s => (s.Name, s.Line, s.Lines.Count)));
        Assert.Equal("Analysis Details", windows.Sections[0].Name);
        Assert.Equal(["Pair ID", "INP-T-0002"], windows.Sections[0].Lines[0].Cells);
    }

    [Fact]
    public void Tab_padding_is_removed_but_empty_cells_between_values_are_kept()
    {
        var document = Read("TruSight Oncology 500 - Combined Variant Output\t\t\t\n[Small Variants]\t\t\t\nGene\tChromosome\tP-Dot\tConsequence\t\t\t\n\tchr9\t\tintron_variant\t\t\t\n");

        var row = document.Sections[0].Lines[1];
        Assert.Equal(["", "chr9", "", "intron_variant"], row.Cells);
        Assert.Equal(4, row.Number);
    }

    [Fact]
    public void Blank_and_tab_only_lines_separate_sections_and_trailing_ones_are_ignored()
    {
        var document = Read("TruSight Oncology 500 - Combined Variant Output\n\t\t\n[TMB]\nTotal TMB\t3.1\n\t\t\n\n[MSI]\nUsable MSI Sites\t100\n\t\t\n\n\n\t\t\t\n");

        Assert.Equal(["TMB", "MSI"], document.Sections.Select(s => s.Name));
        Assert.All(document.Sections, s => Assert.Single(s.Lines));
        Assert.Equal(8, document.Sections[1].Lines[0].Number);
    }

    [Fact]
    public void A_lone_NA_line_is_recognised_as_an_empty_block()
    {
        var document = Read("TruSight Oncology 500 - Combined Variant Output\n[Sequencing Run Details]\t\t\nNA\t\t\n");

        Assert.True(document.Sections[0].Lines[0].IsLoneNa);
    }

    [Fact]
    public void A_file_without_the_banner_is_refused_at_line_1()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Read("Gene\tFold Change\nERBB2\t3.1\n", "export.tsv"));

        Assert.Equal(1, error.LineNumber);
        Assert.Null(error.Section);
        Assert.StartsWith("export.tsv: line 1: expected the banner", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_that_appears_twice_is_refused_at_its_second_header()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Read("TruSight Oncology 500 - Combined Variant Output\n[TMB]\nTotal TMB\t3\n\n[TMB]\nTotal TMB\t4\n"));

        Assert.Equal(5, error.LineNumber);
        Assert.Equal("TMB", error.Section);
    }

    [Fact]
    public void A_file_of_only_the_banner_has_no_sections_and_is_refused()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Read("TruSight Oncology 500 - Combined Variant Output\n\n"));

        Assert.Contains("no [Section]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_with_their_line()
    {
        var bytes = Encoding.UTF8.GetBytes("TruSight Oncology 500 - Combined Variant Output\n[TMB]\nTotal TMB\t").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var error = Assert.Throws<Tso500FormatException>(() => CvoDocumentReader.Read(bytes, "latin.tsv"));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_file_is_refused()
    {
        var error = Assert.Throws<Tso500FormatException>(() => Read("TruSight Oncology 500 - Combined Variant Output\n[TMB]\nTotal\0TMB\t3\n"));

        Assert.Equal(3, error.LineNumber);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var error = Assert.Throws<Tso500FormatException>(() => CvoDocumentReader.Read(new byte[1001], "big.tsv", maxBytes: 1000));

        Assert.Contains("1,001 bytes", error.Message, StringComparison.Ordinal);
    }
}
