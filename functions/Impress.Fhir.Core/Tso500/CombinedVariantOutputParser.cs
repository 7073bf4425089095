using System.Globalization;
using System.Text.RegularExpressions;
using Impress.Fhir.Genomics;
using Impress.Fhir.Tso500.Findings;

namespace Impress.Fhir.Tso500;

/// <summary>
/// Turns the sections of a CombinedVariantOutput.tsv into typed, checked results. A value that cannot be what its
/// column says (a frequency of 1.7, a position "chr7", a malformed HGVS expression) stops the import with its line:
/// a report built from a misread file would be worse than none.
/// </summary>
public sealed partial class CombinedVariantOutputParser(Func<string, bool> isKnownGene, TimeZoneInfo labTimeZone)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd", "dd.MM.yyyy"];

    public CombinedVariantOutput Parse(CvoDocument document)
    {
        var source = document.Source;
        var accounts = new List<SectionAccount>();
        var warnings = new List<string>();

        if (document.Find(CvoSections.AnalysisDetails) is null)
        {
            throw new Tso500FormatException(source, document.Sections[0].Line, null,
                $"the file has no [{CvoSections.AnalysisDetails}] section: this is not a TSO500 CombinedVariantOutput.tsv.");
        }

        var run = ReadRunDetails(document, accounts, warnings);
        var tmb = ReadTmb(Block(document, CvoSections.Tmb), accounts, source);
        var msi = ReadMsi(Block(document, CvoSections.Msi), accounts, source);
        var gis = ReadGis(Block(document, CvoSections.Gis), accounts, source);

        var copyNumbers = new List<CopyNumberChange>();
        var splices = new List<SpliceVariant>();
        var fusions = new List<Fusion>();
        var smallVariants = new List<SmallVariant>();
        var rearrangements = new List<LargeRearrangement>();
        foreach (var section in document.Sections)
        {
            switch (section.Name)
            {
                case var name when Is(name, CvoSections.GeneAmplifications) || Is(name, CvoSections.CopyNumberVariants):
                    copyNumbers.AddRange(Rows(section, source, accounts, ReadCopyNumber));
                    break;
                case var name when Is(name, CvoSections.SpliceVariants):
                    splices.AddRange(Rows(section, source, accounts, ReadSpliceVariant));
                    break;
                case var name when Is(name, CvoSections.Fusions) || Is(name, CvoSections.DnaFusions):
                    fusions.AddRange(Rows(section, source, accounts, ReadFusion));
                    break;
                case var name when Is(name, CvoSections.SmallVariants):
                    smallVariants.AddRange(Rows(section, source, accounts, ReadSmallVariant));
                    break;
                case var name when Is(name, CvoSections.LargeRearrangements):
                    rearrangements.AddRange(Rows(section, source, accounts, ReadLargeRearrangement));
                    break;
                case var name when IsFieldBlock(name):
                    break;
                default:
                    var lines = section.Lines.Count(l => !l.IsLoneNa);
                    accounts.Add(new SectionAccount(source, section.Name, section.Line, SectionShape.Unknown, lines, 0, 0, []));
                    if (lines > 0)
                    {
                        warnings.Add($"{source}: line {section.Line}: [{section.Name}] is not a section this import knows; its {lines} line(s) are not imported.");
                    }

                    break;
            }
        }

        foreach (var consequence in smallVariants.SelectMany(v => v.Consequences.Select(c => (v.Line, Term: c))).Where(c => !SequenceOntology.TryGetId(c.Term, out _)))
        {
            warnings.Add($"{source}: line {consequence.Line} [{CvoSections.SmallVariants}]: '{consequence.Term}' is not a Sequence Ontology consequence this import knows; it is carried as text.");
        }

        return new CombinedVariantOutput
        {
            Source = source,
            Run = run,
            Tmb = tmb,
            Msi = msi,
            Gis = gis,
            CopyNumberChanges = copyNumbers,
            SpliceVariants = splices,
            Fusions = fusions,
            SmallVariants = smallVariants,
            LargeRearrangements = rearrangements,
            Accounts = [.. accounts.OrderBy(a => a.Line)],
            Warnings = warnings,
        };
    }

    private static bool Is(string name, string section) => string.Equals(name, section, StringComparison.OrdinalIgnoreCase);

    private static bool IsFieldBlock(string name) =>
        Is(name, CvoSections.AnalysisDetails) || Is(name, CvoSections.SequencingRunDetails) || Is(name, CvoSections.Tmb) || Is(name, CvoSections.Msi) || Is(name, CvoSections.Gis);

    private static CvoFieldBlock Block(CvoDocument document, string name) => new(document.Find(name), document.Source);

    private static IEnumerable<T> Rows<T>(CvoSection section, string source, List<SectionAccount> accounts, Func<CvoTable, Func<CvoLine, T>> reader)
    {
        var table = new CvoTable(section, source);
        var read = reader(table);
        var findings = table.Rows.Select(read).ToList();
        accounts.Add(table.Account(source));
        return findings;
    }

    private RunDetails ReadRunDetails(CvoDocument document, List<SectionAccount> accounts, List<string> warnings)
    {
        var analysis = Block(document, CvoSections.AnalysisDetails);
        var pair = analysis.Take("Pair ID")?.Value;
        var dna = analysis.Take("DNA Sample ID")?.Value;
        var rna = analysis.Take("RNA Sample ID")?.Value;
        var pipeline = analysis.Take("Pipeline Version")?.Value;
        var outputDate = analysis.Take("Output Date");
        var outputTime = analysis.Take("Output Time");
        DateTimeOffset? output = null;
        if (outputDate is { } date)
        {
            if (ParseDate(date.Value) is { } day)
            {
                var time = outputTime is { } t && TimeOnly.TryParse(t.Value, CultureInfo.InvariantCulture, out var parsed) ? parsed : TimeOnly.MinValue;
                var local = day.ToDateTime(time, DateTimeKind.Unspecified);
                output = new DateTimeOffset(local, labTimeZone.GetUtcOffset(local));
            }
            else
            {
                warnings.Add($"{document.Source}: line {date.Line} [{CvoSections.AnalysisDetails}]: Output Date '{date.Value}' is not a date; the report's issued time is the time of the import.");
            }
        }

        accounts.Add(analysis.Account(document.Source, key => key switch
        {
            "Output Date" => output is not null,
            "Output Time" => output is not null && outputTime is { } t && TimeOnly.TryParse(t.Value, CultureInfo.InvariantCulture, out _),
            _ => true,
        })!);

        var sequencing = Block(document, CvoSections.SequencingRunDetails);
        var runName = sequencing.Take("Run Name")?.Value;
        var runDateField = sequencing.Take("Run Date");
        var runDate = runDateField is { } rd ? ParseDate(rd.Value) : null;
        if (runDateField is { } bad && runDate is null)
        {
            warnings.Add($"{document.Source}: line {bad.Line} [{CvoSections.SequencingRunDetails}]: Run Date '{bad.Value}' is not a date; it is not imported.");
        }

        var instrumentType = sequencing.Take("Instrument Type")?.Value;
        var instrumentId = sequencing.Take("Instrument ID")?.Value;
        var instrument = string.Join(' ', new[] { instrumentType, instrumentId }.OfType<string>());
        if (sequencing.Account(document.Source, key => key != "Run Date" || runDate is not null) is { } account)
        {
            accounts.Add(account);
        }

        return new RunDetails(pair, dna, rna, pipeline, output, runName, runDate, instrument.Length > 0 ? instrument : null);
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static TumorMutationalBurden? ReadTmb(CvoFieldBlock block, List<SectionAccount> accounts, string source)
    {
        var values = block.Values;
        var total = block.Take("Total TMB");
        var region = block.Take("Coding Region Size in Megabases");
        var eligible = block.Take("Number of Passing Eligible Variants");
        TumorMutationalBurden? tmb = null;
        if (total is { } t)
        {
            tmb = new TumorMutationalBurden(
                t.Line,
                values.Decimal(t.Line, "Total TMB", t.Value, min: 0)!.Value,
                region is { } r ? values.Decimal(r.Line, "Coding Region Size in Megabases", r.Value, min: 0) : null,
                eligible is { } e ? values.Integer(e.Line, "Number of Passing Eligible Variants", e.Value) : null);
        }

        // Without the TMB itself the size and count describe nothing, and are not imported.
        AddAccount(block.Account(source, _ => tmb is not null), accounts);
        return tmb;
    }

    private static MicrosatelliteInstability? ReadMsi(CvoFieldBlock block, List<SectionAccount> accounts, string source)
    {
        var values = block.Values;
        var usable = block.Take("Usable MSI Sites");
        var unstable = block.Take("Total MSI Sites Unstable");
        var percent = block.Take("Percent Unstable MSI Sites");
        MicrosatelliteInstability? msi = null;
        if (percent is { } p)
        {
            msi = new MicrosatelliteInstability(
                p.Line,
                values.Decimal(p.Line, "Percent Unstable MSI Sites", p.Value, min: 0, max: 100)!.Value,
                usable is { } u ? values.Integer(u.Line, "Usable MSI Sites", u.Value) : null,
                unstable is { } s ? values.Integer(s.Line, "Total MSI Sites Unstable", s.Value) : null);
            if (msi is { UsableSites: { } all, UnstableSites: { } some } && some > all)
            {
                throw values.Error(unstable!.Value.Line, $"Total MSI Sites Unstable {some} is more than the {all} usable sites.");
            }
        }

        AddAccount(block.Account(source, _ => msi is not null), accounts);
        return msi;
    }

    private static GenomicInstability? ReadGis(CvoFieldBlock block, List<SectionAccount> accounts, string source)
    {
        var score = block.Take("Genomic Instability Score");
        var gis = score is { } s ? new GenomicInstability(s.Line, block.Values.Decimal(s.Line, "Genomic Instability Score", s.Value, min: 0)!.Value) : null;
        AddAccount(block.Account(source), accounts);
        return gis;
    }

    private static void AddAccount(SectionAccount? account, List<SectionAccount> accounts)
    {
        if (account is not null)
        {
            accounts.Add(account);
        }
    }

    private static Func<CvoLine, CopyNumberChange> ReadCopyNumber(CvoTable table)
    {
        var gene = table.Required("Gene");
        var fold = table.Optional("Fold Change");
        var kind = table.Optional("Copy Number Variant", "CNV Type");
        var copies = table.Optional("Absolute Copy Number", "Copy Number");
        var chromosome = table.Optional("Chromosome", "Chromosome/scaffold");
        var amplifications = Is(table.Name, CvoSections.GeneAmplifications);
        return row =>
        {
            var values = table.Values;
            var foldChange = fold is { } f ? values.Decimal(row.Number, "Fold Change", row.Cell(f), min: 0) : null;
            var direction = amplifications
                ? CopyNumberDirection.Gain
                : DirectionOf(values, row, kind is { } k ? row.Cell(k) : null, foldChange);
            return new CopyNumberChange(table.Name, row.Number, GeneOf(values, row, gene), direction, foldChange,
                copies is { } c ? values.Decimal(row.Number, "Absolute Copy Number", row.Cell(c), min: 0) : null,
                chromosome is { } x && CvoValues.Text(row.Cell(x)) is { } name ? ChromosomeOf(values, row, "Chromosome", name) : null);
        };
    }

    /// <summary>Gain or loss: from the call ("&lt;DUP&gt;", "GAIN", "LOSS", ...) or, without one, from the fold change.</summary>
    private static CopyNumberDirection DirectionOf(CvoValues values, CvoLine row, string? call, decimal? foldChange)
    {
        switch (CvoValues.Text(call ?? "")?.Trim('<', '>').ToUpperInvariant())
        {
            case "DUP" or "GAIN" or "AMP" or "AMPLIFICATION":
                return CopyNumberDirection.Gain;
            case "DEL" or "LOSS" or "DELETION":
                return CopyNumberDirection.Loss;
            case null when foldChange is { } fold && fold != 1:
                return fold > 1 ? CopyNumberDirection.Gain : CopyNumberDirection.Loss;
            case null:
                throw values.Error(row.Number, "the row says neither gain nor loss (no Copy Number Variant call, and no fold change other than 1).");
            default:
                throw values.Error(row.Number, $"Copy Number Variant '{call}' is neither a gain (DUP, GAIN) nor a loss (DEL, LOSS).");
        }
    }

    private static Func<CvoLine, SpliceVariant> ReadSpliceVariant(CvoTable table)
    {
        var gene = table.Required("Gene");
        var exon = table.Required("Affected Exon");
        var first = table.Optional("Breakpoint 1");
        var second = table.Optional("Breakpoint 2");
        var reads = table.Optional("Splice Supporting Reads", "Supporting Reads");
        var reference = table.Optional("Reference Reads Transcript", "Reference Reads");
        return row =>
        {
            var values = table.Values;
            var (exons, count) = ExonsOf(values, row, "Affected Exon", row.Cell(exon)) ?? throw values.Error(row.Number, "the splice variant has no Affected Exon.");
            return new SpliceVariant(row.Number, GeneOf(values, row, gene), exons, count,
                BreakpointOf(values, row, "Breakpoint 1", first), BreakpointOf(values, row, "Breakpoint 2", second),
                reads is { } r ? values.Integer(row.Number, "Splice Supporting Reads", row.Cell(r)) : null,
                reference is { } f ? values.Integer(row.Number, "Reference Reads Transcript", row.Cell(f)) : null);
        };
    }

    private Func<CvoLine, Fusion> ReadFusion(CvoTable table)
    {
        var pair = table.Required("Gene Pair");
        var first = table.Optional("Breakpoint 1");
        var second = table.Optional("Breakpoint 2");
        var reads = table.Optional("Fusion Supporting Reads", "Supporting Reads");
        var reference1 = table.Optional("Gene 1 Reference Reads");
        var reference2 = table.Optional("Gene 2 Reference Reads");
        return row =>
        {
            var values = table.Values;
            var genePair = CvoValues.Text(row.Cell(pair)) ?? throw values.Error(row.Number, "the fusion has no Gene Pair.");
            if (!FusionGenePair.TryParse(genePair, isKnownGene, out var fivePrime, out var threePrime))
            {
                throw values.Error(row.Number, $"Gene Pair '{genePair}' is not two partners such as 'EML4-ALK' or 'SLC34A2-ROS1;GOPC'.");
            }

            return new Fusion(table.Name, row.Number, genePair, fivePrime, threePrime,
                BreakpointOf(values, row, "Breakpoint 1", first), BreakpointOf(values, row, "Breakpoint 2", second),
                reads is { } r ? values.Integer(row.Number, "Fusion Supporting Reads", row.Cell(r)) : null,
                reference1 is { } a ? values.Integer(row.Number, "Gene 1 Reference Reads", row.Cell(a)) : null,
                reference2 is { } b ? values.Integer(row.Number, "Gene 2 Reference Reads", row.Cell(b)) : null);
        };
    }

    private static Func<CvoLine, SmallVariant> ReadSmallVariant(CvoTable table)
    {
        var gene = table.Required("Gene");
        var chromosome = table.Required("Chromosome");
        var position = table.Required("Genomic Position");
        var reference = table.Required("Reference Call");
        var alternative = table.Required("Alternative Call");
        var frequency = table.Optional("Allele Frequency");
        var depth = table.Optional("Depth");
        var protein = table.Optional("P-Dot Notation");
        var coding = table.Optional("C-Dot Notation");
        var consequences = table.Optional("Consequence(s)", "Consequence");
        var exons = table.Optional("Affected Exon(s)", "Affected Exon");
        return row =>
        {
            var values = table.Values;
            var (codingHgvs, transcript) = CodingOf(values, row, coding);
            return new SmallVariant(
                row.Number,
                CvoValues.Text(row.Cell(gene)),
                ChromosomeOf(values, row, "Chromosome", row.Cell(chromosome)),
                values.Position(row.Number, "Genomic Position", row.Cell(position)),
                AlleleOf(values, row, "Reference Call", row.Cell(reference)),
                AlleleOf(values, row, "Alternative Call", row.Cell(alternative)),
                frequency is { } f ? values.Decimal(row.Number, "Allele Frequency", row.Cell(f), min: 0, max: 1) : null,
                depth is { } d ? values.Integer(row.Number, "Depth", row.Cell(d)) : null,
                protein is { } p ? ProteinOf(values, row, row.Cell(p)) : null,
                codingHgvs,
                transcript,
                consequences is { } c ? ConsequencesOf(row.Cell(c)) : [],
                exons is { } e ? ExonsOf(values, row, "Affected Exon(s)", row.Cell(e))?.Exons : null);
        };
    }

    private static Func<CvoLine, LargeRearrangement> ReadLargeRearrangement(CvoTable table)
    {
        var gene = table.Required("Gene");
        var fold = table.Optional("Fold Change");
        var kind = table.Optional("CNV Type", "Copy Number Variant", "Type");
        var chromosome = table.Optional("Chromosome");
        var start = table.Optional("Start");
        var end = table.Optional("Stop", "End");
        var exons = table.Optional("Affected Exon(s)", "Affected Exons", "Affected Exon");
        return row =>
        {
            var values = table.Values;
            var foldChange = fold is { } f ? values.Decimal(row.Number, "Fold Change", row.Cell(f), min: 0) : null;
            long? from = start is { } s && CvoValues.Text(row.Cell(s)) is { } a ? values.Position(row.Number, "Start", a) : null;
            long? to = end is { } e && CvoValues.Text(row.Cell(e)) is { } b ? values.Position(row.Number, "Stop", b) : null;
            if (from > to)
            {
                throw values.Error(row.Number, $"Start {from} is after Stop {to}.");
            }

            return new LargeRearrangement(row.Number, GeneOf(values, row, gene),
                DirectionOf(values, row, kind is { } k ? row.Cell(k) : null, foldChange), foldChange,
                chromosome is { } c && CvoValues.Text(row.Cell(c)) is { } name ? ChromosomeOf(values, row, "Chromosome", name) : null,
                from, to,
                exons is { } x ? ExonsOf(values, row, "Affected Exon(s)", row.Cell(x))?.Exons : null);
        };
    }

    private static string GeneOf(CvoValues values, CvoLine row, int column) =>
        CvoValues.Text(row.Cell(column)) is { } gene && Gene().IsMatch(gene) ? gene
        : throw values.Error(row.Number, CvoValues.Text(row.Cell(column)) is { } bad ? $"Gene '{bad}' is not a gene symbol." : "the row has no Gene.");

    private static Chromosome ChromosomeOf(CvoValues values, CvoLine row, string column, string cell) =>
        Chromosome.TryParse(cell, out var chromosome) ? chromosome : throw values.Error(row.Number, $"{column} '{cell}' is not a human chromosome (chr1-chr22, chrX, chrY, chrM).");

    private static Breakpoint? BreakpointOf(CvoValues values, CvoLine row, string column, int? index)
    {
        if (index is not { } i || CvoValues.Text(row.Cell(i)) is not { } text)
        {
            return null;
        }

        return Breakpoint.TryParse(text, out var breakpoint) ? breakpoint
            : throw values.Error(row.Number, $"{column} '{text}' is not chromosome:position, such as chr2:42522654.");
    }

    private static string AlleleOf(CvoValues values, CvoLine row, string column, string cell) =>
        Allele().IsMatch(cell) ? cell.ToUpperInvariant() : throw values.Error(row.Number, $"{column} '{cell}' is not a DNA allele (A, C, G, T, N).");

    /// <summary>"NM_003820.3:c.50A>G": the HGVS expression, and its transcript.</summary>
    private static (string? Hgvs, string? Transcript) CodingOf(CvoValues values, CvoLine row, int? column)
    {
        if (column is not { } c || CvoValues.Text(row.Cell(c)) is not { } text)
        {
            return (null, null);
        }

        if (!Hgvs.IsCoding(text))
        {
            throw values.Error(row.Number, $"C-Dot Notation '{text}' is not an HGVS coding DNA description such as NM_003820.3:c.50A>G.");
        }

        var colon = text.IndexOf(':');
        return (text, colon > 0 ? text[..colon] : null);
    }

    /// <summary>
    /// "NP_003811.2:p.(Lys17Arg)", or for a synonymous variant "NM_004958.3:c.2997C>T(p.(Asn999=))": the coding
    /// change with the protein effect in brackets. The latter's protein part has no protein reference sequence.
    /// </summary>
    private static string? ProteinOf(CvoValues values, CvoLine row, string cell)
    {
        if (CvoValues.Text(cell) is not { } text)
        {
            return null;
        }

        var protein = SynonymousProtein().Match(text) is { Success: true } synonymous ? synonymous.Groups["protein"].Value : text;
        return Hgvs.IsProtein(protein) ? protein
            : throw values.Error(row.Number, $"P-Dot Notation '{text}' is not an HGVS protein description such as NP_003811.2:p.(Lys17Arg).");
    }

    private static string[] ConsequencesOf(string cell) =>
        CvoValues.Text(cell) is { } text ? text.Split([':', ',', '&', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    /// <summary>"1/8" (exon 1 of 8), "2-7/28" (exons 2 to 7 of 28), "14": the exons, and the transcript's exon count.</summary>
    private static (string Exons, int? Count)? ExonsOf(CvoValues values, CvoLine row, string column, string cell)
    {
        if (CvoValues.Text(cell) is not { } text)
        {
            return null;
        }

        var match = Exons().Match(text);
        return match.Success
            ? (match.Groups["exons"].Value, match.Groups["count"].Success ? int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : null)
            : throw values.Error(row.Number, $"{column} '{text}' is not an exon (or range) such as 14, 2-7 or 14/21.");
    }

    [GeneratedRegex(@"^[ACGTN]+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Allele();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Gene();

    [GeneratedRegex(@"^[^()]*:?c\.[^()]+\((?<protein>p\..+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SynonymousProtein();

    [GeneratedRegex(@"^(?<exons>\d{1,3}(?:-\d{1,3})?)(?:/(?<count>\d{1,3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Exons();
}
