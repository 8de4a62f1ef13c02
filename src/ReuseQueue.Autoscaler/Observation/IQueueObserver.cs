using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>Reads the depth of environments' task queues.</summary>
public interface IQueueObserver
{
    /// <summary>
    /// Returns an observation per environment. An environment whose queue could not be observed gets
    /// <see cref="QueueObservation.Unavailable"/>; a queue that does not exist yet counts as empty.
    /// </summary>
    Task<IReadOnlyDictionary<string, QueueObservation>> ObserveAsync(
        IReadOnlyList<string> environments, CancellationToken cancellationToken);
}
