using System.Diagnostics;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly ScratchFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_example_report_is_valid_and_exits_0()
    {
        var run = CliRun.Of("validate", RepositoryPaths.ExampleReportBundle);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Bundle valid (0 errors, 0 warnings)", run.Output);
    }

    [Fact]
    public void A_folder_validates_every_file_in_it()
    {
        var run = CliRun.Of("validate", RepositoryPaths.Examples);

        Assert.Equal(0, run.ExitCode);
        var count = Directory.EnumerateFiles(RepositoryPaths.Examples, "*.json").Count();
        Assert.Contains($"{count} of {count} files valid.", run.Output);
    }

    [Fact]
    public void An_invalid_report_exits_1_and_names_the_element_entry_and_rule()
    {
        var json = File.ReadAllText(RepositoryPaths.ExampleReportBundle).Replace("NM_004333.6:c.1799T>A", "NM_004333.6:c.1799T->A");
        var path = _files.Write("broken.json", json);

        var run = CliRun.Of("validate", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Bundle INVALID", run.Output);
        Assert.Matches(@"error\s+Bundle\.entry\[\d+\]\.resource\.component\[\d+\]\.value", run.Output);
        Assert.Contains("is not a valid HGVS coding (c.) expression", run.Output);
        Assert.Contains("rule hgvs-syntax", run.Output);
        Assert.Contains("urn:uuid:", run.Output);
    }

    [Fact]
    public void Json_format_prints_the_operation_outcome()
    {
        var json = File.ReadAllText(RepositoryPaths.ExampleReportBundle).Replace("NM_004333.6:c.1799T>A", "c.1799T");
        var path = _files.Write("broken.json", json);

        var run = CliRun.Of("validate", "--format", "json", path);

        Assert.Equal(1, run.ExitCode);
        var outcome = Assert.IsType<OperationOutcome>(FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(run.Output)).Resource);
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && i.Details?.Coding.Any(c => c.Code == "hgvs-syntax") == true);
    }

    [Fact]
    public void Json_format_for_several_files_is_a_bundle_naming_each_file()
    {
        var run = CliRun.Of("validate", "--format", "json", RepositoryPaths.ExampleReportBundle, Path.Combine(RepositoryPaths.Examples, "Patient-impress-example-patient.json"));

        Assert.Equal(0, run.ExitCode);
        var bundle = Assert.IsType<Bundle>(FhirJsonReader.Default.Read(System.Text.Encoding.UTF8.GetBytes(run.Output)).Resource);
        Assert.Equal(2, bundle.Entry.Count);
        Assert.EndsWith("Bundle-impress-example-report.json", bundle.Entry[0].FullUrl);
    }

    [Theory]
    [InlineData("empty.json", "", "empty")]
    [InlineData("malformed.json", "{\"resourceType\": \"Patient\", \"gender\": }", "Malformed JSON at line 1")]
    [InlineData("array.json", "[]", "JSON array")]
    [InlineData("notfhir.json", "{\"patient\": \"x\"}", "no resourceType")]
    [InlineData("unknown.json", "{\"resourceType\": \"Genome\"}", "'Genome' is not a FHIR R4 resource type")]
    [InlineData("xml.json", "<Patient xmlns=\"http://hl7.org/fhir\"/>", "XML")]
    public void Unreadable_input_exits_2_with_a_clear_message_and_no_stack_trace(string name, string content, string expected)
    {
        var path = _files.Write(name, content);

        var run = CliRun.Of("validate", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unreadable", run.Output);
        Assert.Contains(expected, run.Output);
        Assert.DoesNotContain("   at ", run.Output + run.Error);
    }

    [Fact]
    public void One_unreadable_file_among_valid_ones_still_exits_2()
    {
        var bad = _files.Write("bad.json", "{");

        var run = CliRun.Of("validate", RepositoryPaths.ExampleReportBundle, bad);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Bundle valid", run.Output);
    }

    [Fact]
    public void A_missing_file_exits_2()
    {
        var run = CliRun.Of("validate", "/no/such/report.json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such file", run.Error);
    }

    [Theory]
    [InlineData]
    [InlineData("validate")]
    [InlineData("validate", "--format", "xml", "x.json")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void The_impress_executable_runs_as_a_process()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "impress.dll");
        Assert.True(File.Exists(dll), "The CLI assembly must be named impress.");
        var start = new ProcessStartInfo("dotnet", [dll, "validate", RepositoryPaths.ExampleReportBundle])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Bundle valid", output);
    }
}
