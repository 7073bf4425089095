using System.CommandLine;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Cli.Commands;

/// <summary><c>impress validate FILE...</c>: validates FHIR JSON files against the IMPRESS profiles and rules.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "FHIR JSON files (a resource or a Bundle) or folders of them.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<OutputFormat>("--format")
        {
            Description = "text: a readable summary; json: the FHIR OperationOutcome (a Bundle of them for several files).",
            DefaultValueFactory = _ => OutputFormat.Text,
        };
        var profiles = new Option<string?>("--profiles") { Description = "The IMPRESS package folder (default: the one shipped with impress)." };

        var command = new Command("validate", "Validate FHIR JSON files against the IMPRESS profiles. Exit 0 valid, 1 invalid, 2 unreadable input.")
        {
            files, format, profiles,
        };
        command.SetAction(parse => Run(
            parse.GetValue(files) ?? [],
            parse.GetValue(format),
            parse.GetValue(profiles),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] arguments, OutputFormat format, string? profiles, TextWriter output, TextWriter error)
    {
        var paths = ExpandPaths(arguments, error, out var missing);
        if (paths.Count == 0)
        {
            error.WriteLine("impress validate: no files to validate.");
            return ExitCodes.UnreadableOrUsage;
        }

        var validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = profiles, MaxDegreeOfParallelism = Environment.ProcessorCount });
        var reports = paths.Select(path => FileReport.Validate(path, validator)).ToList();

        if (format == OutputFormat.Json)
        {
            output.WriteLine(FhirJson.Serialize(reports.Count == 1 ? reports[0].Outcome : AsBundle(reports), pretty: true));
        }
        else
        {
            foreach (var report in reports)
            {
                ValidationTextWriter.Write(report, output);
            }

            if (reports.Count > 1)
            {
                output.WriteLine($"{reports.Count(r => r.IsValid)} of {reports.Count} files valid.");
            }
        }

        return missing || reports.Any(r => r.Unreadable is not null) ? ExitCodes.UnreadableOrUsage
            : reports.All(r => r.IsValid) ? ExitCodes.Success
            : ExitCodes.Invalid;
    }

    private static List<string> ExpandPaths(string[] arguments, TextWriter error, out bool missing)
    {
        missing = false;
        var paths = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                paths.AddRange(Directory.EnumerateFiles(argument, "*.json").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(argument))
            {
                paths.Add(argument);
            }
            else
            {
                error.WriteLine($"impress validate: {argument}: no such file or folder.");
                missing = true;
            }
        }

        return paths;
    }

    private static Bundle AsBundle(IEnumerable<FileReport> reports)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var report in reports)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = new Uri(Path.GetFullPath(report.Path)).AbsoluteUri, Resource = report.Outcome });
        }

        return bundle;
    }

    internal enum OutputFormat
    {
        Text,
        Json,
    }
}
