using System.CommandLine;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Profiles;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Cli.Commands;

/// <summary>
/// <c>impress match FILE</c>: matches a report bundle to the cohort catalog and prints, per arm, the result, the
/// cohort and why (or, with --format json, the Bundle that $match answers). Exit 0 when an arm matches, 1 when
/// none does, 2 for unreadable input.
/// </summary>
internal static class MatchCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A report bundle (FHIR JSON), e.g. one written by impress import-tso500." };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "The catalog (profiles/catalog/*.json layout; default: the example catalog shipped with impress)." };
        var format = new Option<string>("--format") { Description = "table: readable; json: the $match Bundle.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var all = new Option<bool>("--explain-all") { Description = "Explain the arms that do not match, too." };
        var command = new Command("match", "Match a report bundle to the IMPRESS cohort catalog and explain the result. Exit 0 matched, 1 no match, 2 bad input.")
        {
            file, catalog, format, all,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(catalog), parse.GetValue(format)!, parse.GetValue(all),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? catalogFile, string format, bool explainAll, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"impress match: {file.FullName}: no such file.");
            return ExitCodes.UnreadableOrUsage;
        }

        CohortCatalog catalog;
        try
        {
            catalog = CatalogFile.Read(catalogFile?.FullName ?? ProfilePackage.Load().ExampleCatalog);
        }
        catch (CatalogFormatException e)
        {
            error.WriteLine($"impress match: {e.Message}");
            return ExitCodes.UnreadableOrUsage;
        }

        Bundle bundle;
        try
        {
            bundle = FhirJsonReader.Default.Read(File.ReadAllBytes(file.FullName)).Resource as Bundle
                ?? throw new UnreadableDocumentException("The file is not a Bundle: impress match takes a report bundle.");
        }
        catch (UnreadableDocumentException e)
        {
            error.WriteLine($"impress match: {file.Name}: {e.Message}");
            return ExitCodes.UnreadableOrUsage;
        }

        var validator = ImpressValidator.Create(new ImpressValidatorOptions { MaxDegreeOfParallelism = Environment.ProcessorCount });
        var profiles = new PatientProfileReader(validator.Panel).FromBundle(bundle, DateOnly.FromDateTime(DateTime.Today));
        if (profiles.Count == 0)
        {
            error.WriteLine($"impress match: {file.Name}: the bundle holds no genomic report (DiagnosticReport) and no Patient.");
            return ExitCodes.UnreadableOrUsage;
        }

        var matcher = new Matcher(catalog);
        var anyMatch = false;
        var result = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var profile in profiles)
        {
            var matches = matcher.Match(profile);
            anyMatch |= matches.Any(m => m.Result == MatchResult.Matched);
            if (format == "json")
            {
                result.Entry.Add(new Bundle.EntryComponent { Resource = MatchResources.Outcomes(matches, profile) });
                result.Entry.AddRange(matches.Where(m => m.Result == MatchResult.Matched).Select(m => new Bundle.EntryComponent { Resource = MatchResources.Proposal(m, profile, DateOnly.FromDateTime(DateTime.Today)) }));
            }
            else
            {
                WriteTable(profile, matches, catalog, explainAll, output);
            }
        }

        if (format == "json")
        {
            output.Write(FhirJson.SerializeForFile(result));
        }

        return anyMatch ? ExitCodes.Success : ExitCodes.Invalid;
    }

    private static void WriteTable(PatientProfile profile, IReadOnlyList<ArmMatch> matches, CohortCatalog catalog, bool explainAll, TextWriter output)
    {
        var about = new[] { profile.Diagnosis?.Display, profile.AgeYears?.Display, profile.Tmb?.Display, profile.Msi?.Display }.OfType<string>();
        output.WriteLine($"{catalog.Name} {catalog.Version}{(catalog.IsExample ? " (example catalog)" : "")}: {profile.Variants.Count} variants; {string.Join("; ", about)}");
        output.WriteLine();
        var armWidth = Math.Max(3, matches.Max(m => m.Arm.Id.Length));
        output.WriteLine($"{"#",2}  {"arm".PadRight(armWidth)}  {"result",-15}  {"cohort",-28}  why");
        foreach (var match in matches)
        {
            var cohort = match.Cohort is { } c && match.CohortState is { } s
                ? $"{c.Id} {(s.Availability == CohortAvailability.Open ? s.OpenSlots is { } n ? $"open, {n} left" : "open" : s.Availability == CohortAvailability.Closed ? "closed" : "full")}"
                : match.Result == MatchResult.NotMatched ? "" : "none yet";
            output.WriteLine($"{match.Rank,2}  {match.Arm.Id.PadRight(armWidth)}  {MatchResources.ResultCode(match.Result),-15}  {cohort,-28}  {match.Summary}");
        }

        foreach (var match in matches.Where(m => explainAll || m.Result != MatchResult.NotMatched))
        {
            output.WriteLine();
            output.WriteLine($"{match.Arm.Id}: {MatchResources.ResultCode(match.Result)}");
            foreach (var (depth, text) in MatchResources.Lines(match.Explanation))
            {
                output.WriteLine($"{new string(' ', 2 + (depth * 2))}{text}");
            }
        }
    }
}
