using System.CommandLine;
using Impress.Fhir.Cli.Serve;
using Impress.Fhir.Storage;
using Impress.Fhir.Storage.Sqlite;

namespace Impress.Fhir.Cli.Commands;

/// <summary>
/// <c>impress queues [--data DIR] [--poison] [--retry-poison]</c>: what the pipeline's queues in the embedded store
/// hold, the messages no retry could handle, and sending those back once their cause is fixed. Safe while
/// <c>impress serve</c> runs on the same folder.
/// </summary>
internal static class QueuesCommand
{
    /// <summary>Poison messages moved back per round.</summary>
    private const int Batch = 32;

    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = $"The embedded store's folder (default ./{ServeSettings.DefaultDataDirectory}).",
            DefaultValueFactory = _ => ServeSettings.DefaultDataDirectory,
        };
        var poison = new Option<bool>("--poison") { Description = "List the messages in the poison queues." };
        var retry = new Option<bool>("--retry-poison") { Description = "Send the poison queues' messages back to their stages." };
        var command = new Command("queues", "Show the pipeline's queues (match, catalog, publish) and their poison queues in the embedded store.")
        {
            data, poison, retry,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(data)!, parse.GetValue(poison), parse.GetValue(retry), parse.InvocationConfiguration.Output).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(string directory, bool listPoison, bool retryPoison, TextWriter output)
    {
        if (!File.Exists(Path.Combine(directory, new SqliteStoreOptions().FileName)))
        {
            throw new IOException($"There is no store in {Path.GetFullPath(directory)}.");
        }

        using var store = SqliteFhirStore.Open(new SqliteStoreOptions { DataDirectory = directory });
        var queue = store.Queue;
        if (retryPoison)
        {
            foreach (var name in StageQueues.All)
            {
                output.WriteLine($"{name}: {await RetryPoisonAsync(queue, name)} poison messages sent back");
            }
        }

        output.WriteLine($"{"queue",-10} {"waiting",8} {"poison",8}");
        foreach (var name in StageQueues.All)
        {
            output.WriteLine($"{name,-10} {await queue.CountAsync(name),8} {await queue.CountAsync(StageQueues.PoisonOf(name)),8}");
        }

        if (listPoison)
        {
            foreach (var name in StageQueues.All)
            {
                foreach (var message in await queue.PeekAsync(StageQueues.PoisonOf(name), int.MaxValue))
                {
                    output.WriteLine($"{StageQueues.PoisonOf(name)}: {message.Body}");
                }
            }
        }

        return ExitCodes.Success;
    }

    private static async Task<int> RetryPoisonAsync(IStageQueue queue, string name)
    {
        var moved = 0;
        while (await queue.ReceiveAsync(StageQueues.PoisonOf(name), Batch, TimeSpan.FromMinutes(1)) is { Count: > 0 } received)
        {
            await queue.SendAsync([.. received.Select(m => new StageMessage(name, m.Body))]);
            foreach (var message in received)
            {
                await queue.CompleteAsync(message);
            }

            moved += received.Count;
        }

        return moved;
    }
}
