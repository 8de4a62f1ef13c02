using ReuseQueue.Contracts;

namespace ReuseQueue.Core.Scaling;

/// <summary>
/// One replica that the replica driver owns, joined with its heartbeat when Redis has one.
/// </summary>
public sealed record ReplicaObservation
{
    /// <summary>The replica id, unique within the environment.</summary>
    public required string Id { get; init; }

    /// <summary>When the driver started the replica.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the replica wrote the heartbeat that was read; null when Redis has no heartbeat for it.</summary>
    public DateTimeOffset? LastBeatAt { get; init; }

    /// <summary>Tasks the replica runs now, from its heartbeat; 0 without one.</summary>
    public int InFlight { get; init; }

    /// <summary>When the replica last finished a task; null when it has run none.</summary>
    public DateTimeOffset? LastTaskFinishedAt { get; init; }

    /// <summary>Whether the replica is draining, because its heartbeat reports it or the driver is stopping it.</summary>
    public bool IsDraining { get; init; }

    /// <summary>Whether Redis has a heartbeat for the replica.</summary>
    public bool HasHeartbeat => LastBeatAt is not null;

    /// <summary>The replica's state: draining wins, then running when it has a heartbeat, otherwise starting.</summary>
    public ObservedReplicaState State =>
        IsDraining ? ObservedReplicaState.Draining
        : HasHeartbeat ? ObservedReplicaState.Running
        : ObservedReplicaState.Starting;

    /// <summary>When the replica last had no task: its last finished task, or its start when it has run none.</summary>
    public DateTimeOffset IdleSince => LastTaskFinishedAt ?? StartedAt;

    /// <summary>
    /// Joins a replica the driver lists with its heartbeat, which is null when Redis has none.
    /// </summary>
    /// <param name="id">The replica id.</param>
    /// <param name="startedAt">When the driver started the replica.</param>
    /// <param name="heartbeat">The replica's heartbeat, or null.</param>
    /// <param name="isStopping">Whether the driver is stopping the replica.</param>
    public static ReplicaObservation FromHeartbeat(string id, DateTimeOffset startedAt, ReplicaHeartbeat? heartbeat, bool isStopping = false) => new()
    {
        Id = id,
        StartedAt = startedAt,
        LastBeatAt = heartbeat?.BeatAt,
        InFlight = heartbeat?.InFlight ?? 0,
        LastTaskFinishedAt = heartbeat?.LastTaskFinishedAt,
        IsDraining = isStopping || heartbeat?.State == ReplicaState.Draining,
    };
}
