using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Publishing;
using Impress.Fhir.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Api.Publishing;

/// <summary>Wakes the delivery worker when a commit opened a delivery (a new one, a resource's new version, an operator's re-drive).</summary>
public sealed class DeliverySignal(IServiceProvider services) : ICommitObserver
{
    public Task CommittedAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Any(w => w.Version.Type == "Task"
            && w.Index.Any(e => e.Parameter == "code" && e.Value == DeliveryTasks.DeliveryCode)
            && w.Index.Any(e => e.Parameter == "status" && e.Value == "requested")))
        {
            services.GetRequiredService<DeliveryWorker>().Signal();
        }

        return Task.CompletedTask;
    }
}
