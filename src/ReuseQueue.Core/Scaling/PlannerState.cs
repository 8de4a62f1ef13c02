namespace ReuseQueue.Core.Scaling;

/// <summary>
/// What the planner remembers about one environment between ticks. The caller keeps it and passes
/// <see cref="ScalingDecision.State"/> of one tick into the next; a new autoscaler starts from <see cref="Initial"/>.
/// </summary>
public sealed record PlannerState
{
    /// <summary>The state of an environment the planner has not seen yet.</summary>
    public static PlannerState Initial { get; } = new();

    /// <summary>When the planner last stopped a replica to scale down; null when it never has.</summary>
    public DateTimeOffset? LastScaleDownAt { get; init; }

    /// <summary>
    /// When the environment last had a ready, unacked or in-flight task. The first tick sets it to its own time,
    /// so that a freshly started autoscaler does not stop an environment at once for being idle.
    /// </summary>
    public DateTimeOffset? LastBusyAt { get; init; }

    /// <summary>Replica crashes since the last replica that stayed up for the stability window.</summary>
    public int CrashCount { get; init; }

    /// <summary>When the planner last saw a replica crash; null when none has.</summary>
    public DateTimeOffset? LastCrashAt { get; init; }

    /// <summary>
    /// The replicas the last decision started. The next tick expects as many new replica ids and counts each
    /// one missing as a crash.
    /// </summary>
    public int PendingStarts { get; init; }

    /// <summary>The reason of the last decision that was not a hold; null before the first one.</summary>
    public string? LastDecision { get; init; }

    /// <summary>The replicas seen on the last tick, by replica id.</summary>
    public IReadOnlyDictionary<string, ReplicaMemory> Replicas { get; init; } =
        new Dictionary<string, ReplicaMemory>(StringComparer.Ordinal);
}
