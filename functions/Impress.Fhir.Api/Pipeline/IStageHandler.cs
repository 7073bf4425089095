namespace Impress.Fhir.Api.Pipeline;

/// <summary>
/// One stage of the pipeline: what is done with the messages of its queue. A stage is idempotent: handling a
/// message twice (queues deliver at least once) changes nothing the second time.
/// </summary>
public interface IStageHandler
{
    /// <summary>The queue the stage reads (see <see cref="Storage.StageQueues"/>).</summary>
    string Queue { get; }

    /// <summary>Whether its messages may name a resource of this type.</summary>
    bool Accepts(string resourceType);

    /// <summary>Does the stage's work; an exception has the message tried again later.</summary>
    Task HandleAsync(StageWork work, CancellationToken cancellationToken);

    /// <summary>
    /// Called once the message has failed its last try and goes to the poison queue, so that whoever waits on the
    /// work (an export's client polling its status) learns it failed instead of waiting for ever.
    /// </summary>
    Task GiveUpAsync(StageWork work, CancellationToken cancellationToken) => Task.CompletedTask;
}
