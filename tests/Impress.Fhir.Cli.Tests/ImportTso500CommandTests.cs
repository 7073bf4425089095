using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Cli.Tests;

public sealed class ImportTso500CommandTests : IDisposable
{
    private static readonly string Patient = SyntheticIdentities.NationalId(21);
    private readonly ScratchFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string[] Request(params string[] files) =>
        [.. files, "--patient-identifier", Patient, "--specimen", "H-2024-0815", "--diagnosis", "C18.7", "--hospital", "993467049"];

    private static Bundle ReadBundle(string json) => (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(json)).Resource;

    [Fact]
    public void A_DNA_and_RNA_pair_is_written_as_a_valid_bundle_with_its_account()
    {
        var target = Path.Combine(Path.GetTempPath(), $"impress-import-{Guid.NewGuid():N}.json");
        try
        {
            var run = CliRun.Of(["import-tso500", .. Request(Tso500Fixtures.PathOf(Tso500Fixtures.LocalAppDna), "--rna", Tso500Fixtures.PathOf(Tso500Fixtures.LocalAppRna)), "-o", target, "--summary"]);

            Assert.True(run.ExitCode == 0, run.Error);
            var bundle = ReadBundle(File.ReadAllText(target));
            Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
            Assert.Equal(23, bundle.Entry.Count(e => e.Resource is Observation));
            Assert.Contains("localapp-dna.tsv:", run.Output);
            Assert.Contains("  [Small Variants] 11 rows: 11 imported", run.Output);
            Assert.Contains("  [Fusions] 6 rows: 6 imported", run.Output);
            Assert.Contains("Report TSO500-INP-T-0001: 39 entries", run.Output);
            Assert.Equal(0, CliRun.Of("validate", target).ExitCode);
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void Without_an_output_file_the_bundle_goes_to_standard_output_and_the_account_to_standard_error()
    {
        var run = CliRun.Of(["import-tso500", "--rna", Tso500Fixtures.PathOf(Tso500Fixtures.NoTemplateControl), .. Request(), "--summary"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var report = ReadBundle(run.Output).Entry.Select(e => e.Resource).OfType<DiagnosticReport>().Single();
        Assert.Empty(report.Result);
        Assert.Contains("[Fusions] 0 rows: 0 imported", run.Error);
    }

    [Fact]
    public void A_bad_file_exits_2_naming_line_and_section_and_writes_nothing()
    {
        var text = Tso500Fixtures.Text(Tso500Fixtures.LocalAppDna).Replace("0.3124\t1187", "0,3124\t1187", StringComparison.Ordinal);
        var bad = _files.Write("bad.tsv", text);
        var target = _files.Write("bundle.json", "previous bundle");
        var fresh = Path.Combine(Path.GetDirectoryName(target)!, "new.json");

        var overwrite = CliRun.Of(["import-tso500", .. Request(bad), "-o", target]);
        var create = CliRun.Of(["import-tso500", .. Request(bad), "-o", fresh]);

        Assert.Equal(2, overwrite.ExitCode);
        Assert.Matches(@"bad\.tsv: line \d+ \[Small Variants\]: Allele Frequency '0,3124' is not a number\.", overwrite.Error);
        Assert.Contains("Nothing was written.", overwrite.Error);
        Assert.Equal("previous bundle", File.ReadAllText(target));
        Assert.Equal(2, create.ExitCode);
        Assert.False(File.Exists(fresh));
        Assert.Equal(["bad.tsv", "bundle.json"], Directory.EnumerateFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_wrong_patient_identifier_exits_2_without_repeating_it()
    {
        var wrong = Patient[..10] + (char)('0' + ((Patient[10] - '0' + 1) % 10));
        string[] args = ["import-tso500", Tso500Fixtures.PathOf(Tso500Fixtures.LocalAppDna), "--patient-identifier", wrong, "--specimen", "S", "--diagnosis", "C18.7", "--hospital", "993467049"];

        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--patient-identifier is not a fødselsnummer or D-number", run.Error);
        Assert.DoesNotContain(wrong, run.Error + run.Output);
    }

    [Fact]
    public void Without_any_file_or_with_a_missing_one_it_exits_2()
    {
        var none = CliRun.Of(["import-tso500", .. Request()]);
        var missing = CliRun.Of(["import-tso500", .. Request(Path.Combine(Path.GetTempPath(), "no-such-file.tsv"))]);

        Assert.Equal(2, none.ExitCode);
        Assert.Contains("give the DNA file, --rna with the RNA file, or both", none.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no-such-file.tsv", missing.Error);
    }

    [Fact]
    public void The_thresholds_are_options()
    {
        var run = CliRun.Of(["import-tso500", .. Request(Tso500Fixtures.PathOf(Tso500Fixtures.LocalAppDna)), "--tmb-high", "20"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var tmb = ReadBundle(run.Output).Entry.Select(e => e.Resource).OfType<Observation>().Single(o => o.Code.Coding.Any(c => c.Code == Codes.Tmb));
        Assert.Equal("L", tmb.Interpretation.Single().Coding[0].Code);
    }
}
