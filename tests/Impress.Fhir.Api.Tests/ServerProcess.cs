using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Impress.Fhir.Api.Tests;

/// <summary><c>impress serve</c> as a separate process, which a test can kill as hard as the operating system allows.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts the server on a free loopback port and waits until it answers /metadata.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, TimeSpan timeout)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "impress.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start impress serve.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/fhir/"));
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync("metadata");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                if (process.HasExited)
                {
                    break;
                }
            }

            await Task.Delay(50);
        }

        server.Kill();
        throw new InvalidOperationException($"impress serve did not answer within {timeout.TotalSeconds} s.");
    }

    /// <summary>SIGKILL: no shutdown handlers, no flushing, as in a power cut of the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
