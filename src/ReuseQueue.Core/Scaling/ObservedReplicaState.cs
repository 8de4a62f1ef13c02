namespace ReuseQueue.Core.Scaling;

/// <summary>The state of a replica as the planner classifies it.</summary>
public enum ObservedReplicaState
{
    /// <summary>Started by the driver and has written no heartbeat yet.</summary>
    Starting,

    /// <summary>Has a heartbeat and is consuming.</summary>
    Running,

    /// <summary>Told to stop: takes no new task and finishes the ones it holds. It no longer counts as live.</summary>
    Draining,
}
