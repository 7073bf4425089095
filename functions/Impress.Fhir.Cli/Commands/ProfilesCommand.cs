using System.CommandLine;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Cli.Commands;

/// <summary><c>impress profiles snapshot|catalog [--check]</c>: maintains what the IMPRESS package generates: snapshots, catalog studies.</summary>
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

        var catalog = new Command("catalog", "Write the ResearchStudies (examples/ResearchStudy-arm-*.json, -cohort-*.json) of each catalog in catalog/*.json.")
        {
            directory, check,
        };
        catalog.SetAction(parse => Catalog(
            parse.GetValue(directory)!,
            parse.GetValue(check),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));

        return new Command("profiles", "Work on the IMPRESS FHIR package.") { snapshot, catalog };
    }

    /// <summary>
    /// The catalogs' ResearchStudies are generated, as snapshots are: the trial office edits one readable file, and
    /// the studies (whose rules are base64 in an attachment) follow from it.
    /// </summary>
    private static int Catalog(string directory, bool check, TextWriter output, TextWriter error)
    {
        var package = ProfilePackage.Load(directory);
        var stale = false;
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(package.CatalogDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            CohortCatalog catalog;
            try
            {
                catalog = CatalogFile.Read(file);
            }
            catch (CatalogFormatException e)
            {
                error.WriteLine($"impress profiles catalog: {e.Message}");
                return ExitCodes.Invalid;
            }

            foreach (var study in CatalogStudies.ToStudies(catalog))
            {
                var path = Path.Combine(package.ExamplesDirectory, $"ResearchStudy-{study.Id}.json");
                written.Add(Path.GetFileName(path));
                var json = FhirJson.SerializeForFile(study);
                if (File.Exists(path) && File.ReadAllText(path) == json)
                {
                    continue;
                }

                stale = true;
                if (check)
                {
                    output.WriteLine($"{Path.GetFileName(path)}: STALE: run 'impress profiles catalog' and commit the result");
                }
                else
                {
                    File.WriteAllText(path, json);
                    output.WriteLine($"{Path.GetFileName(path)}: written");
                }
            }
        }

        // A study of an arm or cohort no catalog has any more is removed with it.
        foreach (var orphan in Directory.EnumerateFiles(package.ExamplesDirectory, "ResearchStudy-*.json").Where(f => IsCatalogStudy(f) && !written.Contains(Path.GetFileName(f))))
        {
            stale = true;
            if (check)
            {
                output.WriteLine($"{Path.GetFileName(orphan)}: STALE: no catalog has it any more");
            }
            else
            {
                File.Delete(orphan);
                output.WriteLine($"{Path.GetFileName(orphan)}: removed");
            }
        }

        output.WriteLine(stale ? (check ? "Catalog studies are stale." : "Catalog studies written.") : "Catalog studies up to date.");
        return check && stale ? ExitCodes.Invalid : ExitCodes.Success;
    }

    private static bool IsCatalogStudy(string file) =>
        FhirJsonReader.Default.Read(File.ReadAllBytes(file)).Resource is ResearchStudy study && (CatalogStudies.IsArm(study) || CatalogStudies.IsCohort(study));

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
