using System.CommandLine;
using Impress.Fhir.Fhir;
using Impress.Fhir.Tso500;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Cli.Commands;

/// <summary>
/// <c>impress import-tso500</c>: turns a TSO500 CombinedVariantOutput.tsv (DNA, RNA or both) into an IMPRESS report
/// bundle, validated before it is written. Exit 0 written, 1 the bundle would not validate, 2 a bad file or option;
/// on 1 and 2 nothing is written.
/// </summary>
internal static class ImportTso500Command
{
    public static Command Create()
    {
        var dna = new Argument<FileInfo?>("dna")
        {
            Description = "The DNA CombinedVariantOutput.tsv (or the pair's one file holding DNA and RNA results).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var rna = new Option<FileInfo?>("--rna") { Description = "The RNA CombinedVariantOutput.tsv of the same sample pair." };
        var patient = new Option<string>("--patient-identifier") { Description = "The patient's fødselsnummer or D-number (checked).", Required = true };
        var specimen = new Option<string>("--specimen") { Description = "The sequenced sample's identifier (pathology or biobank number).", Required = true };
        var specimenType = new Option<string>("--specimen-type")
        {
            Description = $"What was sequenced: {string.Join(", ", SpecimenTypes.Codes)}.",
            DefaultValueFactory = _ => SpecimenTypes.Codes[0],
        };
        specimenType.AcceptOnlyFromAmong([.. SpecimenTypes.Codes]);
        var diagnosis = new Option<string>("--diagnosis") { Description = "The tumour's ICD-10 code, e.g. C18.7.", Required = true };
        var hospital = new Option<string>("--hospital") { Description = "The organisation number of the hospital (or its lab) sending the report.", Required = true };
        var hospitalName = new Option<string?>("--hospital-name") { Description = "The hospital's name, for a hospital the server does not know yet." };
        var reportId = new Option<string?>("--report-id") { Description = "The report's identifier within the hospital (default TSO500-<Pair ID>)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the bundle (default: standard output)." };
        var summary = new Option<bool>("--summary") { Description = "Print what each section held and what the report carries (to standard error when the bundle goes to standard output)." };
        var defaults = new Tso500ImportOptions();
        var tmbHigh = new Option<decimal>("--tmb-high") { Description = "Mutations/Mb from which TMB is high.", DefaultValueFactory = _ => defaults.TmbHighThreshold };
        var msiHigh = new Option<decimal>("--msi-high") { Description = "Percent unstable sites from which MSI is high.", DefaultValueFactory = _ => defaults.MsiHighThreshold };
        var gisPositive = new Option<decimal>("--gis-positive") { Description = "Genomic instability score from which GIS is positive.", DefaultValueFactory = _ => defaults.GisPositiveThreshold };
        var genomeBuild = new Option<string>("--genome-build") { Description = "The reference genome of the positions.", DefaultValueFactory = _ => defaults.GenomeBuild };
        genomeBuild.AcceptOnlyFromAmong("GRCh37", "GRCh38");
        var profiles = new Option<string?>("--profiles") { Description = "The IMPRESS package folder (default: the one shipped with impress)." };

        var command = new Command("import-tso500", "Import Illumina TSO500 results (CombinedVariantOutput.tsv) as an IMPRESS report bundle. Exit 0 written, 1 invalid, 2 bad input.")
        {
            dna, rna, patient, specimen, specimenType, diagnosis, hospital, hospitalName, reportId, output, summary, tmbHigh, msiHigh, gisPositive, genomeBuild, profiles,
        };
        command.SetAction(parse =>
        {
            var options = new Tso500ImportOptions
            {
                TmbHighThreshold = parse.GetValue(tmbHigh),
                MsiHighThreshold = parse.GetValue(msiHigh),
                GisPositiveThreshold = parse.GetValue(gisPositive),
                GenomeBuild = parse.GetValue(genomeBuild)!,
            };
            var (request, problems) = Tso500ImportRequest.Parse(
                parse.GetValue(patient), parse.GetValue(specimen), parse.GetValue(specimenType), parse.GetValue(diagnosis),
                parse.GetValue(hospital), parse.GetValue(hospitalName), parse.GetValue(reportId));
            var invocation = new Invocation(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            return invocation.Run(parse.GetValue(dna), parse.GetValue(rna), request, problems, options, parse.GetValue(output), parse.GetValue(summary), parse.GetValue(profiles));
        });
        return command;
    }

    private sealed class Invocation(TextWriter output, TextWriter error)
    {
        public int Run(
            FileInfo? dna,
            FileInfo? rna,
            Tso500ImportRequest? request,
            IReadOnlyList<(Tso500RequestField Field, string Problem)> problems,
            Tso500ImportOptions options,
            FileInfo? target,
            bool summary,
            string? profiles)
        {
            if (dna is null && rna is null)
            {
                error.WriteLine("impress import-tso500: give the DNA file, --rna with the RNA file, or both.");
                return ExitCodes.UnreadableOrUsage;
            }

            var missing = new[] { dna, rna }.OfType<FileInfo>().Where(f => !f.Exists).ToList();
            foreach (var file in missing)
            {
                error.WriteLine($"impress import-tso500: {file.FullName}: no such file.");
            }

            foreach (var (field, problem) in problems)
            {
                error.WriteLine($"impress import-tso500: {OptionOf(field)} {problem}");
            }

            if (request is null || missing.Count > 0)
            {
                return ExitCodes.UnreadableOrUsage;
            }

            var validator = ImpressValidator.Create(new ImpressValidatorOptions { ProfilesDirectory = profiles, MaxDegreeOfParallelism = Environment.ProcessorCount });
            Tso500Import import;
            try
            {
                import = new Tso500Importer(validator.Panel, options).Import(Input(dna), Input(rna), request, DateTimeOffset.UtcNow);
            }
            catch (Tso500FormatException bad)
            {
                error.WriteLine($"impress import-tso500: {bad.Message}");
                error.WriteLine("Nothing was written.");
                return ExitCodes.UnreadableOrUsage;
            }

            foreach (var warning in import.Summary.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            var bundle = import.Report.Bundle;
            var validation = validator.Validate(bundle);
            if (!validation.IsValid)
            {
                error.WriteLine("impress import-tso500: the report bundle does not validate against the IMPRESS profiles; nothing was written.");
                ValidationTextWriter.Write(new FileReport(target?.FullName ?? "(bundle)", bundle.TypeName, validation, null), error);
                return ExitCodes.Invalid;
            }

            var json = FhirJson.SerializeForFile(bundle);
            if (target is null)
            {
                output.Write(json);
            }
            else
            {
                WriteWhole(target, json);
            }

            if (summary)
            {
                ImportSummaryWriter.Write(import.Summary, validation, target is null ? error : output);
            }

            return ExitCodes.Success;
        }

        private static Tso500Input? Input(FileInfo? file) =>
            file is null ? null : new Tso500Input(file.Name, File.ReadAllBytes(file.FullName));

        /// <summary>Writes beside the target and moves it into place, so the target is the whole bundle or untouched.</summary>
        private static void WriteWhole(FileInfo target, string json)
        {
            var temporary = Path.Combine(target.DirectoryName ?? ".", $".{target.Name}.{Environment.ProcessId}.tmp");
            try
            {
                File.WriteAllText(temporary, json);
                File.Move(temporary, target.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        private static string OptionOf(Tso500RequestField field) => field switch
        {
            Tso500RequestField.PatientIdentifier => "--patient-identifier",
            Tso500RequestField.Specimen => "--specimen",
            Tso500RequestField.SpecimenType => "--specimen-type",
            Tso500RequestField.Diagnosis => "--diagnosis",
            Tso500RequestField.Hospital => "--hospital",
            _ => "--report-id",
        };
    }
}
