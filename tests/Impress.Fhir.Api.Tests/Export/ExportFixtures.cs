using Impress.Fhir.Api.Pipeline;
using Impress.Fhir.Storage;
using Impress.Fhir.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Tests.Export;

/// <summary>A store to export: reports of several patients (with names, national ids and addresses in every place an EHR puts them), matched into CarePlans.</summary>
public class SeededExportFixture : ServerFixture
{
    public const int Patients = 4;

    public SeededExportFixture()
        : this([])
    {
    }

    protected SeededExportFixture(IReadOnlyList<string> configuration, string? dataDirectory = null)
        : base(configuration, dataDirectory)
    {
    }

    /// <summary>The patients' server ids, by n.</summary>
    public Dictionary<int, string> PatientIds { get; } = [];

    public override async System.Threading.Tasks.Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync(this, PatientIds);
    }

    public static async System.Threading.Tasks.Task SeedAsync(ServerFixture server, Dictionary<int, string> patientIds, bool waitForPipeline = true)
    {
        var client = server.Client();
        for (var n = 1; n <= Patients; n++)
        {
            var response = await client.TransactionAsync(IdentifiableReports.OfPatient(n, organizationNumber: n % 2 == 0 ? "983974724" : null));
            var patient = response!.Entry.Select(e => e.Response!.Location!).First(l => l.StartsWith("Patient/", StringComparison.Ordinal));
            patientIds[n] = patient.Split('/')[1];
        }

        if (waitForPipeline)
        {
            await server.PipelineIdleAsync(60);
        }
    }
}

/// <summary>Drives the export stage a step at a time, for a server started with Pipeline:RunStages=false.</summary>
public static class ExportSteps
{
    /// <summary>Receives and handles up to <paramref name="steps"/> export messages; returns how many there were.</summary>
    public static async Task<int> DriveAsync(ServerFixture server, int steps)
    {
        var queue = server.Services.GetRequiredService<IStageQueue>();
        var dispatcher = server.Services.GetRequiredService<StageDispatcher>();
        var done = 0;
        while (done < steps && await queue.ReceiveAsync(StageQueues.Export, 1, TimeSpan.FromMinutes(1)) is [var message])
        {
            var outcome = await dispatcher.HandleAsync(message.Queue, message.Body, message.DequeueCount, CancellationToken.None);
            Assert.Equal(StageOutcomeKind.Completed, outcome.Kind);
            await queue.CompleteAsync(message);
            done++;
        }

        return done;
    }
}
