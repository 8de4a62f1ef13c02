namespace ReuseQueue.Core.Scaling;

/// <summary>
/// What the autoscaler saw of an environment's task queue in one tick, or that it could not see it.
/// </summary>
public sealed record QueueObservation
{
    /// <summary>Whether the queue could be read. When false the counts are 0 and the planner holds.</summary>
    public bool IsObserved { get; init; } = true;

    /// <summary>Why the queue could not be read, for the decision's reason; null when it was read.</summary>
    public string? Error { get; init; }

    /// <summary>Messages waiting in the queue.</summary>
    public long Ready { get; init; }

    /// <summary>Messages delivered to a replica and not yet acknowledged, which are the tasks running now.</summary>
    public long Unacked { get; init; }

    /// <summary>Consumers on the queue. The planner reports it but does not scale on it.</summary>
    public int Consumers { get; init; }

    /// <summary>The messages that need a replica: <see cref="Ready"/> + <see cref="Unacked"/>.</summary>
    public long Demand => Ready + Unacked;

    /// <summary>Creates an observation of a queue that was read.</summary>
    public static QueueObservation Of(long ready, long unacked, int consumers = 0) =>
        new() { Ready = ready, Unacked = unacked, Consumers = consumers };

    /// <summary>Creates the observation of a queue that could not be read, with the reason.</summary>
    public static QueueObservation Unavailable(string error) => new() { IsObserved = false, Error = error };
}
