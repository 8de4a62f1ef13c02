namespace ReuseQueue.Core.Scaling;

/// <summary>Why the planner stops a replica.</summary>
public enum ReplicaStopReason
{
    /// <summary>Its heartbeat is too old, or it wrote none within the start timeout.</summary>
    Dead,

    /// <summary>It ran no task for the scaledown TTL and the environment has more replicas than it needs.</summary>
    ScaleDown,

    /// <summary>The environment had no work for its idle TTL, so every replica stops.</summary>
    Idle,

    /// <summary>The environment runs more replicas than its max, e.g. after the config lowered it.</summary>
    AboveMax,
}
