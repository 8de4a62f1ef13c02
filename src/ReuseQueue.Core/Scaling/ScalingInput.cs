using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Scaling;

/// <summary>Everything the planner decides on for one environment in one tick.</summary>
public sealed record ScalingInput
{
    /// <summary>The environment's reuse policy, already validated.</summary>
    public required ReusePolicy Policy { get; init; }

    /// <summary>The environment's task queue.</summary>
    public required QueueObservation Queue { get; init; }

    /// <summary>
    /// Every replica the driver owns for the environment, draining ones included. The caller starts
    /// <see cref="ScalingDecision.StartCount"/> replicas before the next tick; a started replica missing from
    /// the next list counts as a crash. Not used for decisions when <see cref="HeartbeatsReadable"/> is false.
    /// </summary>
    public IReadOnlyList<ReplicaObservation> Replicas { get; init; } = [];

    /// <summary>Whether the heartbeats could be read. When false the planner holds: it starts and stops nothing. Default true.</summary>
    public bool HeartbeatsReadable { get; init; } = true;

    /// <summary>Why the heartbeats could not be read, for the decision's reason; null when they were read.</summary>
    public string? HeartbeatError { get; init; }

    /// <summary>The planner state from the previous tick's decision. Default <see cref="PlannerState.Initial"/>.</summary>
    public PlannerState State { get; init; } = PlannerState.Initial;

    /// <summary>The time of this tick, which the caller takes from its <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Now { get; init; }
}
