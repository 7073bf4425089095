using System.CommandLine;
using Impress.Fhir.Cli.Commands;

namespace Impress.Fhir.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given output streams (tests pass their own).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("impress: the IMPRESS-Norway FHIR integration server and its tools.")
        {
            ServeCommand.Create(),
            ValidateCommand.Create(),
            ImportTso500Command.Create(),
            MatchCommand.Create(),
            ProfilesCommand.Create(),
            QueuesCommand.Create(),
            ExportCommand.Create(),
        };

        var parse = root.Parse(args);
        // Unreadable input is answered below with exit 2; other exceptions are bugs and surface as such.
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run 'impress --help' for usage.");
            return ExitCodes.UnreadableOrUsage;
        }

        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"impress: {e.Message}");
            return ExitCodes.UnreadableOrUsage;
        }
    }
}
