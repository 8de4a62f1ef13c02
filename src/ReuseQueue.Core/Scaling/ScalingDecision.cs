namespace ReuseQueue.Core.Scaling;

/// <summary>What the planner decided for one environment in one tick, and why.</summary>
public sealed record ScalingDecision
{
    /// <summary>The kind of decision.</summary>
    public required ScalingAction Action { get; init; }

    /// <summary>The decision in one line, as logs and the status command show it, e.g. <c>scale up 2 -> 4: 7 ready + 1 unacked at concurrency 2</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Live replicas before the decision: starting and running ones, neither draining nor dead.</summary>
    public required int LiveReplicas { get; init; }

    /// <summary>The live replicas the environment should have; equal to <see cref="LiveReplicas"/> on a hold.</summary>
    public required int TargetReplicas { get; init; }

    /// <summary>How many replicas to start now.</summary>
    public int StartCount { get; init; }

    /// <summary>The replicas to stop now, each with its reason.</summary>
    public IReadOnlyList<ReplicaStop> Stops { get; init; } = [];

    /// <summary>
    /// The earliest time a replica may start because of the crash back-off; null when there is no back-off.
    /// </summary>
    public DateTimeOffset? NextStartAt { get; init; }

    /// <summary>The planner state to pass into the next tick.</summary>
    public required PlannerState State { get; init; }

    /// <summary>Returns <see cref="Reason"/>.</summary>
    public override string ToString() => Reason;
}
