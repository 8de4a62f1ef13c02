namespace ReuseQueue.Contracts;

/// <summary>What a replica reports about itself in its heartbeat.</summary>
public enum ReplicaState
{
    /// <summary>Connected and consuming.</summary>
    Running,

    /// <summary>Told to stop: takes no new tasks and finishes the ones it holds.</summary>
    Draining,
}
