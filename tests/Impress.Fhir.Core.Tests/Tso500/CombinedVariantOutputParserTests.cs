using System.Text;
using Impress.Fhir.Genomics;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;
using Impress.Fhir.Tso500.Findings;

namespace Impress.Fhir.Core.Tests.Tso500;

public sealed class CombinedVariantOutputParserTests
{
    private static readonly HashSet<string> Panel = new(StringComparer.OrdinalIgnoreCase) { "ALK", "ROS1", "NKX2-1", "RET", "NTRK3" };

    private static CombinedVariantOutput Parse(string fixture) => Parse(Tso500Fixtures.Text(fixture), fixture);

    private static CombinedVariantOutput Parse(string text, string name) =>
        new CombinedVariantOutputParser(Panel.Contains, TimeZoneInfo.Utc).Parse(CvoDocumentReader.Read(Encoding.UTF8.GetBytes(text), name));

    /// <summary>The 1-based number of the first line of <paramref name="text"/> containing <paramref name="marker"/>.</summary>
    private static int LineOf(string text, string marker) =>
        text.Replace("\r\n", "\n").Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(marker, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void Reads_the_analysis_and_run_details()
    {
        var run = Parse(Tso500Fixtures.LocalAppDna).Run;

        Assert.Equal("INP-T-0001", run.PairId);
        Assert.Equal("INP-T-0001-D", run.DnaSampleId);
        Assert.Null(run.RnaSampleId);
        Assert.Equal("ruo-2.2.0.12", run.PipelineVersion);
        Assert.Equal(new DateTimeOffset(2024, 5, 21, 14, 30, 0, TimeSpan.Zero), run.OutputTime);
        Assert.Equal("240517_A00748_0321_BHT5KKDSXY", run.RunName);
        Assert.Equal(new DateOnly(2024, 5, 17), run.RunDate);
        Assert.Equal("NovaSeq6000 A00748", run.Instrument);
    }

    [Fact]
    public void The_output_time_is_read_in_the_labs_time_zone()
    {
        var oslo = TimeZoneInfo.CreateCustomTimeZone("lab", TimeSpan.FromHours(2), "lab", "lab");
        var output = new CombinedVariantOutputParser(_ => false, oslo).Parse(CvoDocumentReader.Read(Tso500Fixtures.Bytes(Tso500Fixtures.LocalAppDna), "dna"));

        Assert.Equal(new DateTimeOffset(2024, 5, 21, 14, 30, 0, TimeSpan.FromHours(2)), output.Run.OutputTime);
    }

    [Fact]
    public void A_placeholder_output_date_is_a_warning_and_leaves_the_time_unset()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna).Replace("Output Date\t2024-05-21", "Output Date\t2099-99-99");

        var output = Parse(text, "dna.tsv");

        Assert.Null(output.Run.OutputTime);
        Assert.Contains(output.Warnings, w => w.Contains("Output Date '2099-99-99' is not a date", StringComparison.Ordinal));
        var analysis = output.Accounts.Single(a => a.Section == CvoSections.AnalysisDetails);
        Assert.Equal(["Output Date", "Output Time"], analysis.NotImported);
    }

    [Fact]
    public void Reads_TMB_and_MSI_and_NA_blocks_as_absent()
    {
        var dna = Parse(Tso500Fixtures.LocalAppDna);
        var rna = Parse(Tso500Fixtures.LocalAppRna);

        Assert.Equal(new TumorMutationalBurden(dna.Tmb!.Line, 12.5m, 1.28m, 16), dna.Tmb);
        Assert.Equal(new MicrosatelliteInstability(dna.Msi!.Line, 3.2m, 125, 4), dna.Msi);
        Assert.Null(rna.Tmb);
        Assert.Null(rna.Msi);
        var tmb = rna.Accounts.Single(a => a.Section == CvoSections.Tmb);
        Assert.Equal((3, 3, 0), (tmb.Read, tmb.Empty, tmb.Imported));
    }

    [Fact]
    public void Reads_small_variants_with_their_annotation()
    {
        var variants = Parse(Tso500Fixtures.LocalAppDna).SmallVariants;

        Assert.Equal(11, variants.Count);
        var braf = variants[0];
        Assert.Equal(("BRAF", "7", 140453136L, "A", "T"), (braf.Gene, braf.Chromosome.Name, braf.Position, braf.ReferenceAllele, braf.AlternativeAllele));
        Assert.Equal((0.3124m, 1187), (braf.AlleleFrequency!.Value, braf.Depth!.Value));
        Assert.Equal(("NP_004324.2:p.(Val600Glu)", "NM_004333.4:c.1799T>A", "NM_004333.4"), (braf.ProteinHgvs, braf.CodingHgvs, braf.Transcript));
        Assert.Equal(["missense_variant"], braf.Consequences);
        Assert.Equal("15", braf.Exons);
        Assert.Equal(SequenceOntology.SingleNucleotideVariant, braf.ChangeType);
    }

    [Fact]
    public void A_synonymous_rows_protein_change_is_taken_from_its_c_dot_form()
    {
        var pik3ca = Parse(Tso500Fixtures.LocalAppDna).SmallVariants.Single(v => v.Gene == "PIK3CA");

        Assert.Equal("p.(Ile391=)", pik3ca.ProteinHgvs);
        Assert.Equal("NM_006218.2:c.1173A>G", pik3ca.CodingHgvs);
    }

    [Fact]
    public void A_row_with_no_gene_is_read_as_a_variant_outside_genes()
    {
        var intergenic = Parse(Tso500Fixtures.LocalAppDna).SmallVariants.Single(v => v.Gene is null);

        Assert.Equal(("9", 19072413L), (intergenic.Chromosome.Name, intergenic.Position));
        Assert.Null(intergenic.CodingHgvs);
        Assert.Null(intergenic.ProteinHgvs);
        Assert.Empty(intergenic.Consequences);
    }

    [Fact]
    public void Reads_indels_MNVs_and_combined_consequences()
    {
        var variants = Parse(Tso500Fixtures.LocalAppDna).SmallVariants;

        var deletion = variants.Single(v => v.Gene == "BRCA2");
        Assert.Equal((SequenceOntology.Deletion, 32914438L), (deletion.ChangeType, deletion.End));
        Assert.Equal(SequenceOntology.Insertion, variants.Single(v => v.Gene == "EGFR").ChangeType);
        Assert.Equal(SequenceOntology.MultipleNucleotideVariant, variants.Single(v => v.Gene == "NRAS").ChangeType);
        Assert.Equal(["splice_region_variant", "intron_variant"], variants.Single(v => v.Gene == "ATM").Consequences);
        Assert.Equal("X", variants.Single(v => v.Gene == "KDM6A").Chromosome.Name);
    }

    [Fact]
    public void Reads_amplifications_as_gains_with_their_fold_change()
    {
        var changes = Parse(Tso500Fixtures.LocalAppDna).CopyNumberChanges;

        Assert.Equal([("ERBB2", CopyNumberDirection.Gain, 3.85m), ("CCND1", CopyNumberDirection.Gain, 2.4m)], changes.Select(c => (c.Gene, c.Direction, c.FoldChange!.Value)));
        Assert.All(changes, c => Assert.Equal(CvoSections.GeneAmplifications, c.Section));
    }

    [Fact]
    public void Reads_DRAGEN_copy_number_variants_gains_and_losses_with_the_absolute_copy_number()
    {
        var changes = Parse(Tso500Fixtures.DragenDna).CopyNumberChanges;

        Assert.Equal(
            [("ERBB2", CopyNumberDirection.Gain, 9m), ("MYC", CopyNumberDirection.Gain, 6m), ("CDKN2A", CopyNumberDirection.Loss, 0m)],
            changes.Select(c => (c.Gene, c.Direction, c.AbsoluteCopyNumber!.Value)));
        Assert.Equal("17", changes[0].Chromosome!.Name);
    }

    [Fact]
    public void Reads_DRAGEN_GIS_and_large_rearrangements_and_counts_an_unknown_section()
    {
        var output = Parse(Tso500Fixtures.DragenDna);

        Assert.Equal(57m, output.Gis!.Score);
        var brca1 = Assert.Single(output.LargeRearrangements);
        Assert.Equal(("BRCA1", CopyNumberDirection.Loss, 0.48m, "17", 41243452L, 41247939L, "11-12"),
            (brca1.Gene, brca1.Direction, brca1.FoldChange!.Value, brca1.Chromosome!.Name, brca1.Start!.Value, brca1.End!.Value, brca1.Exons));
        var gis = output.Accounts.Single(a => a.Section == CvoSections.Gis);
        Assert.Equal(["Tumor Fraction", "Ploidy"], gis.NotImported);
        var unknown = output.Accounts.Single(a => a.Section == "Loss of Heterozygosity");
        Assert.Equal((SectionShape.Unknown, 2, 0), (unknown.Shape, unknown.Read, unknown.Imported));
        Assert.Contains(output.Warnings, w => w.Contains("[Loss of Heterozygosity] is not a section this import knows", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_splice_variants_and_fusions_with_ambiguous_partners()
    {
        var output = Parse(Tso500Fixtures.LocalAppRna);

        Assert.Equal(["EGFRvIII (EGFR exon 2-7 deletion)", "MET exon 14 skipping"], output.SpliceVariants.Select(s => s.Name));
        Assert.Equal((28, 64, 1), (output.SpliceVariants[0].ExonCount!.Value, output.SpliceVariants[0].SupportingReads!.Value, output.SpliceVariants[0].ReferenceReads!.Value));
        var ros1 = output.Fusions.Single(f => f.GenePair == "CD74-ROS1;GOPC");
        Assert.Equal(["CD74"], ros1.FivePrimeGenes);
        Assert.Equal(["ROS1", "GOPC"], ros1.ThreePrimeGenes);
        Assert.Equal("chr6:117645578", ros1.SecondBreakpoint!.ToString());
        Assert.Equal((96, 2, 0), (ros1.SupportingReads!.Value, ros1.FirstGeneReferenceReads!.Value, ros1.SecondGeneReferenceReads!.Value));
        Assert.Equal(["NKX2-1"], output.Fusions.Single(f => f.GenePair == "NKX2-1-ROS1").FivePrimeGenes);
    }

    [Fact]
    public void A_no_template_control_has_no_results_and_a_full_account()
    {
        var output = Parse(Tso500Fixtures.NoTemplateControl);

        Assert.Empty(output.Findings);
        Assert.Equal(8, output.Accounts.Count);
        Assert.All(output.Accounts.Where(a => a.Shape == SectionShape.Rows), a => Assert.Equal(0, a.Read));
    }

    [Theory]
    [InlineData("0.3124\t1187", "1.7\t1187", "Allele Frequency 1.7 is outside 0-1.")]
    [InlineData("chr7\t140453136", "chr77\t140453136", "Chromosome 'chr77' is not a human chromosome")]
    [InlineData("140453136\tA\tT", "140453136\tA\tQ", "Alternative Call 'Q' is not a DNA allele")]
    [InlineData("7\t140453136", "7\tpos", "Genomic Position 'pos' is not a genomic position")]
    [InlineData("NM_004333.4:c.1799T>A", "NM_004333.4:1799T>A", "C-Dot Notation 'NM_004333.4:1799T>A' is not an HGVS coding DNA description")]
    [InlineData("NP_004324.2:p.(Val600Glu)", "NP_004324.2:V600E?", "P-Dot Notation 'NP_004324.2:V600E?' is not an HGVS protein description")]
    [InlineData("0.3124\t1187", "0.3124\t-3", "Depth '-3' is not a count")]
    [InlineData("missense_variant\t15/18", "missense_variant\t15/18\textra", "the row has 12 values, but the header names 11 columns.")]
    [InlineData("missense_variant\t15/18", "missense_variant\texon fifteen", "Affected Exon(s) 'exon fifteen' is not an exon")]
    public void A_malformed_small_variant_is_refused_with_its_line_and_section(string original, string broken, string problem)
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna);
        var line = LineOf(text, "BRAF\tchr7");
        var edited = string.Join('\n', text.Split('\n').Select((l, i) => i == line - 1 ? l.Replace(original, broken, StringComparison.Ordinal) : l));
        Assert.NotEqual(text, edited);

        var error = Assert.Throws<Tso500FormatException>(() => Parse(edited, "dna.tsv"));

        Assert.Equal((line, CvoSections.SmallVariants), (error.LineNumber, error.Section));
        Assert.StartsWith($"dna.tsv: line {line} [Small Variants]: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Tso500Fixtures.LocalAppRna, "EML4-ALK\tchr2:42522654", "EML4 ALK\tchr2:42522654", CvoSections.Fusions, "Gene Pair 'EML4 ALK' is not two partners")]
    [InlineData(Tso500Fixtures.LocalAppRna, "EML4-ALK\tchr2:42522654", "EML4-ALK\t42522654", CvoSections.Fusions, "Breakpoint 1 '42522654' is not chromosome:position")]
    [InlineData(Tso500Fixtures.LocalAppRna, "75\t749\t9", "many\t749\t9", CvoSections.Fusions, "Fusion Supporting Reads 'many' is not a count")]
    [InlineData(Tso500Fixtures.LocalAppRna, "MET\t14/21", "MET\t", CvoSections.SpliceVariants, "the splice variant has no Affected Exon.")]
    [InlineData(Tso500Fixtures.LocalAppDna, "ERBB2\t3.85", "ERBB2\tlots", CvoSections.GeneAmplifications, "Fold Change 'lots' is not a number.")]
    [InlineData(Tso500Fixtures.LocalAppDna, "Total TMB\t12.5", "Total TMB\ttwelve", CvoSections.Tmb, "Total TMB 'twelve' is not a number.")]
    [InlineData(Tso500Fixtures.LocalAppDna, "Percent Unstable MSI Sites\t3.2", "Percent Unstable MSI Sites\t320", CvoSections.Msi, "Percent Unstable MSI Sites 320 is outside 0-100.")]
    [InlineData(Tso500Fixtures.LocalAppDna, "Total MSI Sites Unstable\t4", "Total MSI Sites Unstable\t400", CvoSections.Msi, "is more than the 125 usable sites")]
    [InlineData(Tso500Fixtures.LocalAppDna, "Pair ID\tINP-T-0001", "Pair ID\tINP-T-0001\tsecond", CvoSections.AnalysisDetails, "expected 'name<TAB>value', found 3 values.")]
    [InlineData(Tso500Fixtures.DragenDna, "CDKN2A\tchr9\t0.31\t<DEL>", "CDKN2A\tchr9\t0.31\t<INV>", CvoSections.CopyNumberVariants, "Copy Number Variant '<INV>' is neither a gain")]
    [InlineData(Tso500Fixtures.DragenDna, "41243452\t41247939", "41247939\t41243452", CvoSections.LargeRearrangements, "Start 41247939 is after Stop 41243452.")]
    [InlineData(Tso500Fixtures.DragenDna, "Genomic Instability Score\t57", "Genomic Instability Score\thigh", CvoSections.Gis, "Genomic Instability Score 'high' is not a number.")]
    public void A_malformed_value_in_any_section_is_refused_with_its_line_and_section(string fixture, string original, string broken, string section, string problem)
    {
        var text = Tso500Fixtures.Text(fixture);
        var line = LineOf(text, original);
        var edited = text.Replace(original, broken, StringComparison.Ordinal);

        var error = Assert.Throws<Tso500FormatException>(() => Parse(edited, fixture));

        Assert.Equal((line, section), (error.LineNumber, error.Section));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_a_column_it_needs_is_refused_at_its_header()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna).Replace("\tGenomic Position\t", "\tPosition\t", StringComparison.Ordinal);

        var error = Assert.Throws<Tso500FormatException>(() => Parse(text, "dna.tsv"));

        Assert.Equal((LineOf(text, "Gene\tChromosome\tPosition"), CvoSections.SmallVariants), (error.LineNumber, error.Section));
        Assert.Contains("no 'Genomic Position' column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_analysis_details_is_refused()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna).Replace("[Analysis Details]", "[Analysis]", StringComparison.Ordinal);

        var error = Assert.Throws<Tso500FormatException>(() => Parse(text, "dna.tsv"));

        Assert.Contains("no [Analysis Details] section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_and_fields_with_values_the_report_does_not_carry_are_named_in_the_account()
    {
        var output = Parse(Tso500Fixtures.DragenDna);

        Assert.Equal(["Nonsynonymous TMB"], output.Accounts.Single(a => a.Section == CvoSections.Tmb).NotImported);
        Assert.Empty(output.Accounts.Single(a => a.Section == CvoSections.CopyNumberVariants).NotImported);
        Assert.Equal(["DNA Sample Index ID"], output.Accounts.Single(a => a.Section == CvoSections.SequencingRunDetails).NotImported);
    }
}
