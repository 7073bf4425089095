using Impress.Fhir.Genomics;
using Impress.Fhir.Tso500.Findings;
using Impress.Fhir.Tso500.Report;

namespace Impress.Fhir.Tso500;

/// <summary>
/// Imports a TSO500 sample pair, from its DNA file, its RNA file, or one file with both, as an IMPRESS report
/// bundle with its round-trip account. Either everything is imported or <see cref="Tso500FormatException"/> says
/// which line stopped it; nothing is half done.
/// </summary>
public sealed class Tso500Importer
{
    private readonly GenePanel? _panel;
    private readonly Tso500ImportOptions _options;
    private readonly CombinedVariantOutputParser _parser;
    private readonly ReportBundleBuilder _builder;

    public Tso500Importer(GenePanel? panel, Tso500ImportOptions? options = null)
    {
        _panel = panel;
        _options = options ?? new Tso500ImportOptions();
        _parser = new CombinedVariantOutputParser(symbol => panel?.ContainsSymbol(symbol) == true, LabTimeZone(_options.LabTimeZone));
        _builder = new ReportBundleBuilder(panel, _options);
    }

    public Tso500ImportOptions Options => _options;

    public Tso500Import Import(Tso500Input? dna, Tso500Input? rna, Tso500ImportRequest request, DateTimeOffset importTime)
    {
        var results = Read(dna, rna, request.ReportId is not null);
        var report = _builder.Build(results, request, importTime);
        var summary = Account(results, report);
        return new Tso500Import(report, summary, results);
    }

    /// <summary>Reads and checks the files and puts their results together, each section from the file it belongs to.</summary>
    public Tso500Results Read(Tso500Input? dna, Tso500Input? rna, bool reportIdGiven = false)
    {
        if (dna is null && rna is null)
        {
            throw new ArgumentException("An import needs a DNA file, an RNA file, or both.");
        }

        var files = new List<Tso500File>();
        if (dna is not null)
        {
            files.Add(new Tso500File(NucleicAcid.Dna, ReadFile(dna)));
        }

        if (rna is not null)
        {
            files.Add(new Tso500File(NucleicAcid.Rna, ReadFile(rna)));
        }

        if (files is [var first, var second])
        {
            CheckPair(first, second);
        }

        var findings = files.SelectMany(f => f.Output.Findings).ToList();
        if (findings.Count > _options.MaxFindings)
        {
            var last = files[^1].Output;
            throw new Tso500FormatException(last.Source, findings[^1].Line, findings[^1].Section,
                $"the files hold {findings.Count:N0} results; one report takes at most {_options.MaxFindings:N0}.");
        }

        var results = new Tso500Results(files, findings);
        if (results.PairId is null && !reportIdGiven)
        {
            var file = files[0].Output;
            throw new Tso500FormatException(file.Source, file.Accounts.FirstOrDefault(a => a.Section == CvoSections.AnalysisDetails)?.Line ?? 1, CvoSections.AnalysisDetails,
                "the file names no Pair ID, DNA Sample ID or RNA Sample ID to identify the report by; give the report an id.");
        }

        return results;
    }

    private CombinedVariantOutput ReadFile(Tso500Input input) =>
        _parser.Parse(CvoDocumentReader.Read(input.Content.Span, input.Name, _options.MaxFileBytes));

    /// <summary>
    /// A DNA file and an RNA file must be one sample pair, and each contributes the results of its own library:
    /// the same result in both would otherwise be reported twice.
    /// </summary>
    private static void CheckPair(Tso500File dna, Tso500File rna)
    {
        var (dnaPair, rnaPair) = (dna.Output.Run.PairId, rna.Output.Run.PairId);
        if (dnaPair is not null && rnaPair is not null && !string.Equals(dnaPair, rnaPair, StringComparison.Ordinal))
        {
            throw new Tso500FormatException(rna.Output.Source, LineOf(rna.Output, CvoSections.AnalysisDetails), CvoSections.AnalysisDetails,
                $"the RNA file is of pair '{rnaPair}' and the DNA file of pair '{dnaPair}': they are not one sample pair.");
        }

        foreach (var file in new[] { dna, rna })
        {
            if (file.Output.Findings.FirstOrDefault(f => CvoSections.AssayOf(f.Section) is { } assay && assay != file.Role) is { } misplaced)
            {
                var (own, other) = file.Role == NucleicAcid.Dna ? ("DNA", "RNA") : ("RNA", "DNA");
                throw new Tso500FormatException(file.Output.Source, misplaced.Line, misplaced.Section,
                    $"the {own} file holds {other} results; with both files given they come from the {other} file. Import a file holding both DNA and RNA results on its own.");
            }
        }
    }

    private static int LineOf(CombinedVariantOutput output, string section) =>
        output.Accounts.FirstOrDefault(a => a.Section == section)?.Line ?? 1;

    private static ImportSummary Account(Tso500Results results, ReportBundle report)
    {
        var sections = results.Files.SelectMany(f => f.Output.Accounts).ToList();
        foreach (var table in sections.Where(s => s.Shape == SectionShape.Rows).GroupBy(s => s.Section, StringComparer.OrdinalIgnoreCase))
        {
            var read = table.Sum(s => s.Imported);
            var written = report.WrittenBySection.GetValueOrDefault(table.Key);
            if (read != written)
            {
                throw new InvalidOperationException($"[{table.Key}] has {read} rows but {written} Observations were written.");
            }
        }

        var warnings = results.Warnings.ToList();
        var control = results.Files.Select(f => f.Output.Run).FirstOrDefault(r => new[] { r.PairId, r.DnaSampleId, r.RnaSampleId }.Any(IsControlName));
        var variants = results.Findings.Count(f => f is SmallVariant or CopyNumberChange or SpliceVariant or Fusion or LargeRearrangement);
        if (control is not null && variants > 0)
        {
            warnings.Add($"The sample is named as a no-template control ('{control.PairId ?? control.DnaSampleId ?? control.RnaSampleId}'), yet holds {variants} variant(s): check the run for contamination.");
        }

        var resources = report.Bundle.Entry.GroupBy(e => e.Resource!.TypeName).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new ImportSummary(report.ReportId, sections, warnings, resources);
    }

    private static bool IsControlName(string? id) =>
        id is not null && (id.StartsWith("NTC", StringComparison.OrdinalIgnoreCase) || id.Contains("-NTC", StringComparison.OrdinalIgnoreCase) || id.Contains("_NTC", StringComparison.OrdinalIgnoreCase));

    private static TimeZoneInfo LabTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A machine without time zone data: the file's times are read as UTC rather than refusing every import.
            return TimeZoneInfo.Utc;
        }
    }
}

/// <summary>An imported report: its bundle, the account of the import, and the results it was made from.</summary>
public sealed record Tso500Import(ReportBundle Report, ImportSummary Summary, Tso500Results Results);
