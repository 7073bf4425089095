using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Cli.Tests;

public sealed class MatchCommandTests : IDisposable
{
    private readonly ScratchFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_example_report_prints_a_ranked_table_and_the_explanations_of_its_matches()
    {
        var run = CliRun.Of("match", RepositoryPaths.ExampleReportBundle);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("IMPRESS-Norway example catalog 2024.1 (example catalog): 4 variants; diagnosis C18.7", run.Output);
        Assert.Matches(@" 1  trastuzumab-pertuzumab +matched +TRAPER-CRC open, 4 left", run.Output);
        Assert.Matches(@" 2  vemurafenib-cobimetinib +matched +VEMCOB-CRC open, 3 left", run.Output);
        Assert.Matches(@" 3  alectinib +matched +none yet", run.Output);
        Assert.Contains("vemurafenib-cobimetinib: matched\n  met: BRAF p.V600 (any amino acid change) — BRAF p.V600E", run.Output.Replace("\r\n", "\n"));
        Assert.Contains("does not apply: Exclusion: vemurafenib with cobimetinib is approved in BRAF V600-mutated melanoma (on-label use)", run.Output);
    }

    [Fact]
    public void Json_prints_the_bundle_that_match_answers()
    {
        var run = CliRun.Of("match", RepositoryPaths.ExampleReportBundle, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var bundle = (Bundle)FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(run.Output)).Resource;
        Assert.IsType<Parameters>(bundle.Entry[0].Resource);
        Assert.Equal(3, bundle.Entry.Count(e => e.Resource is CarePlan));
    }

    [Fact]
    public void A_report_that_matches_nothing_exits_1()
    {
        var json = File.ReadAllText(RepositoryPaths.ExampleReportBundle).Replace("\"C18.7\"", "\"C34.1\"", StringComparison.Ordinal)
            .Replace("\"HGNC:1097\"", "\"HGNC:6407\"", StringComparison.Ordinal).Replace("\"display\": \"BRAF\"", "\"display\": \"KRAS\"", StringComparison.Ordinal)
            .Replace("\"value\": 3.85", "\"value\": 1.2", StringComparison.Ordinal);
        var path = _files.Write("lung.json", json);

        var run = CliRun.Of("match", path);

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotMatch(@"  matched  ", run.Output);
    }

    [Fact]
    public void A_file_that_is_not_a_bundle_exits_2()
    {
        var run = CliRun.Of("match", Path.Combine(RepositoryPaths.Examples, "Patient-impress-example-patient.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a Bundle", run.Error);
    }

    [Fact]
    public void The_committed_catalog_studies_are_up_to_date()
    {
        var run = CliRun.Of("profiles", "catalog", "--check", "--profiles", RepositoryPaths.Profiles);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Catalog studies up to date.", run.Output);
    }
}
