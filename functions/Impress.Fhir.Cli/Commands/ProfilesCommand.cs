using System.CommandLine;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Cli.Commands;

/// <summary><c>impress profiles snapshot [--check]</c>: maintains the snapshots of the IMPRESS package.</summary>
internal static class ProfilesCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--profiles")
        {
            Description = "The package folder to work on.",
            DefaultValueFactory = _ => "profiles",
        };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when a snapshot is missing or stale." };

        var snapshot = new Command("snapshot", "Generate each StructureDefinition's snapshot from its differential and write it into the file.")
        {
            directory, check,
        };
        snapshot.SetAction(parse => Snapshot(
            parse.GetValue(directory)!,
            parse.GetValue(check),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));

        return new Command("profiles", "Work on the IMPRESS FHIR package.") { snapshot };
    }

    private static int Snapshot(string directory, bool check, TextWriter output, TextWriter error)
    {
        var package = ProfilePackage.Load(directory);
        var results = new SnapshotBuilder(package, CoreSpecificationSource.OpenDefault()).BuildAsync().GetAwaiter().GetResult();

        var failed = false;
        foreach (var result in results)
        {
            var name = Path.GetFileName(result.File);
            foreach (var issue in result.Issues)
            {
                error.WriteLine($"{name}: {issue.Severity?.ToString().ToLowerInvariant()}: {issue.Details?.Text ?? issue.Diagnostics} {string.Join(", ", issue.Location)}");
            }

            failed |= result.HasErrors;
            if (!result.IsStale)
            {
                output.WriteLine($"{name}: up to date");
            }
            else if (check)
            {
                output.WriteLine($"{name}: STALE: run 'impress profiles snapshot' and commit the result");
                failed = true;
            }
            else
            {
                File.WriteAllText(result.File, result.Json);
                output.WriteLine($"{name}: snapshot written");
            }
        }

        return failed ? ExitCodes.Invalid : ExitCodes.Success;
    }
}
