using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Impress.Fhir.Api;
using Impress.Fhir.Api.Export;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Cli.Serve;
using Impress.Fhir.Export;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Storage;
using Impress.Fhir.Storage.Sqlite;

namespace Impress.Fhir.Cli.Commands;

/// <summary>
/// <c>impress export -o DIR [--type T,...] [--since INSTANT] [--type-filter Q] [--patients | --group ID]
/// [--anonymization-config NAME|FILE] [--data DIR]</c>: a Bulk Data export of the embedded store written straight to
/// a folder, by the same runner the server's <c>$export</c> uses, with a progress bar. The keys of de-identification
/// are the server's (its data directory's, or <c>IMPRESS_Export__Keys__*</c>), so pseudonyms match its exports.
/// Safe while <c>impress serve</c> runs on the same folder.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write the NDJSON files and manifest.json to.", Required = true };
        var data = new Option<string>("--data")
        {
            Description = $"The embedded store's folder (default ./{ServeSettings.DefaultDataDirectory}).",
            DefaultValueFactory = _ => ServeSettings.DefaultDataDirectory,
        };
        var types = new Option<string?>("--type") { Description = "The resource types to export, comma-separated (_type); default all." };
        var since = new Option<string?>("--since") { Description = "Only resources changed after this FHIR instant (_since), e.g. 2026-01-01T00:00:00Z." };
        var filters = new Option<string[]>("--type-filter") { Description = "A search per type (_typeFilter), e.g. 'Observation?code=http://loinc.org|69548-6'; repeatable.", AllowMultipleArgumentsPerToken = false };
        var patients = new Option<bool>("--patients") { Description = "Export the patients' compartments only (Patient/$export)." };
        var group = new Option<string?>("--group") { Description = "Export the compartments of a Group's patients (Group/[id]/$export)." };
        var policy = new Option<string?>("--anonymization-config") { Description = $"De-identify with a policy: a configured name ({ExportPolicies.Registry}, ...) or a policy file in the FHIR anonymizer format." };
        var command = new Command("export", "Export the embedded store's resources as NDJSON (Bulk Data), raw or de-identified, to a folder.")
        {
            output, data, types, since, filters, patients, group, policy,
        };
        command.SetAction(parse => RunAsync(
            new Arguments(parse.GetValue(output)!, parse.GetValue(data)!, parse.GetValue(types), parse.GetValue(since), parse.GetValue(filters) ?? [],
                parse.GetValue(patients), parse.GetValue(group), parse.GetValue(policy)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error).GetAwaiter().GetResult());
        return command;
    }

    private sealed record Arguments(DirectoryInfo Output, string Data, string? Types, string? Since, string[] Filters, bool Patients, string? Group, string? Policy);

    private static async Task<int> RunAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        if (!File.Exists(Path.Combine(arguments.Data, new SqliteStoreOptions().FileName)))
        {
            error.WriteLine($"impress export: there is no store in {Path.GetFullPath(arguments.Data)}.");
            return ExitCodes.UnreadableOrUsage;
        }

        if (arguments.Patients && arguments.Group is not null)
        {
            error.WriteLine("impress export: --patients and --group exclude each other.");
            return ExitCodes.UnreadableOrUsage;
        }

        using var store = SqliteFhirStore.Open(new SqliteStoreOptions { DataDirectory = arguments.Data });
        var options = new ExportOptions { Keys = Keys(arguments.Data) };
        Anonymizer? anonymizer;
        ExportPolicies policies;
        try
        {
            policies = new ExportPolicies(options);
            anonymizer = Anonymizer(arguments.Policy, policies, options.Keys);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"impress export: {e.Message}");
            return ExitCodes.UnreadableOrUsage;
        }

        var registry = SearchParameterRegistry.Default;
        var runner = new ExportRunner(store, new SearchIndexer(registry), new SearchRequestParser(registry, new FhirServerOptions()), options);
        var level = arguments.Group is not null ? ExportLevel.Group : arguments.Patients ? ExportLevel.Patient : ExportLevel.System;
        var (request, problem) = new ExportKickoff(registry, runner, policies).Parse(level, arguments.Group, Parameters(arguments), "impress export");
        if (request is null)
        {
            error.WriteLine($"impress export: {problem?.Outcome?.Issue.FirstOrDefault()?.Details?.Text}");
            return ExitCodes.UnreadableOrUsage;
        }

        if (level == ExportLevel.Group && await store.ReadAsync("Group", arguments.Group!) is not { IsDeleted: false })
        {
            error.WriteLine($"impress export: there is no Group/{arguments.Group}.");
            return ExitCodes.UnreadableOrUsage;
        }

        var job = ExportJob.Start("cli", request with { Policy = arguments.Policy }, DateTimeOffset.UtcNow);
        var folder = new DirectoryExportOutput(arguments.Output.FullName);
        var progress = new ProgressBar(error, interactive: ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        try
        {
            job = await runner.StartAsync(job, DateTimeOffset.UtcNow, CancellationToken.None);
            while (!job.IsFinished)
            {
                progress.Show(job);
                job = await runner.RunSliceAsync(job, folder, anonymizer, DateTimeOffset.UtcNow, CancellationToken.None);
            }
        }
        catch (AnonymizationProcessingException e)
        {
            progress.Done();
            error.WriteLine($"impress export: the de-identification policy could not be applied: {e.Message}");
            return ExitCodes.Invalid;
        }

        progress.Done();
        if (job.Status == ExportJobStatus.Failed)
        {
            error.WriteLine($"impress export: {job.Error}");
            return ExitCodes.UnreadableOrUsage;
        }

        await File.WriteAllBytesAsync(Path.Combine(arguments.Output.FullName, "manifest.json"), Manifest(job));
        foreach (var file in job.Output)
        {
            output.WriteLine($"{file.Name,-32} {file.Count,10:N0} {file.Type}");
        }

        output.WriteLine($"{job.Exported:N0} resources in {job.Output.Count} files written to {arguments.Output.FullName}{(arguments.Policy is { } name ? $", de-identified with {name}" : "")}.");
        return ExitCodes.Success;
    }

    /// <summary>A configured policy by name, or a policy file: files are what a registry brings from elsewhere.</summary>
    private static Anonymizer? Anonymizer(string? policy, ExportPolicies policies, ExportKeyOptions keys)
    {
        if (policy is null)
        {
            return null;
        }

        if (policies.TryGet(policy, out var named))
        {
            return named;
        }

        if (!File.Exists(policy))
        {
            throw new InvalidOperationException($"'{policy}' is neither a configured de-identification policy ({string.Join(", ", policies.Names)}) nor a file.");
        }

        var read = ExportPolicies.ReadFile(Path.GetFileNameWithoutExtension(policy), policy);
        try
        {
            return new Anonymizer(read.WithKeys(new AnonymizationKeys(keys.CryptoHashKey, keys.DateShiftKey, keys.EncryptKey)));
        }
        catch (AnonymizationPolicyException e)
        {
            throw new InvalidOperationException($"{policy}: {e.Message}", e);
        }
    }

    /// <summary>The server's keys: from the environment as the server reads them, else its data directory's.</summary>
    private static ExportKeyOptions Keys(string data)
    {
        var fromFile = ExportKeyFile.LoadOrCreate(data);
        string? Key(string name) =>
            Environment.GetEnvironmentVariable($"IMPRESS_{ExportOptions.Section}__{nameof(ExportOptions.Keys)}__{name}") is { Length: > 0 } set ? set
            : fromFile[$"{ExportOptions.Section}:{nameof(ExportOptions.Keys)}:{name}"];
        return new ExportKeyOptions
        {
            CryptoHashKey = Key(nameof(ExportKeyOptions.CryptoHashKey)),
            DateShiftKey = Key(nameof(ExportKeyOptions.DateShiftKey)),
            EncryptKey = Key(nameof(ExportKeyOptions.EncryptKey)),
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> Parameters(Arguments arguments)
    {
        if (arguments.Types is { } types)
        {
            yield return KeyValuePair.Create("_type", types);
        }

        if (arguments.Since is { } since)
        {
            yield return KeyValuePair.Create("_since", since);
        }

        foreach (var filter in arguments.Filters)
        {
            yield return KeyValuePair.Create("_typeFilter", filter);
        }
    }

    private static byte[] Manifest(ExportJob job) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        transactionTime = job.TransactionTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
        request = job.Request.RequestUrl,
        requiresAccessToken = false,
        output = job.Output.Select(f => new { type = f.Type, url = f.Name, count = f.Count }),
        error = Array.Empty<object>(),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>One line redrawn in place on a terminal; a line per step when the output is a file.</summary>
    private sealed class ProgressBar(TextWriter writer, bool interactive)
    {
        private const int Width = 24;
        private bool _drawn;

        public void Show(ExportJob job)
        {
            var types = job.Request.Types.Count;
            var filled = types == 0 ? Width : job.TypeIndex * Width / types;
            var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {Math.Min(job.TypeIndex + 1, types)}/{types} types, {job.Exported:N0} resources, {job.CurrentType}";
            if (!interactive)
            {
                writer.WriteLine(line);
            }
            else
            {
                writer.Write("\r" + line.PadRight(Console.WindowWidth > 1 ? Console.WindowWidth - 1 : line.Length));
                _drawn = true;
            }
        }

        public void Done()
        {
            if (_drawn)
            {
                writer.WriteLine();
                _drawn = false;
            }
        }
    }
}
