namespace ReuseQueue.Core.Configuration;

/// <summary>How the autoscaler runs replicas, set by <c>autoscaler.driver</c>.</summary>
public enum ReplicaDriverKind
{
    /// <summary>Local worker processes started from an environment's command (<c>process</c>, the default).</summary>
    Process,

    /// <summary>Containers started from an environment's image through Docker (<c>docker</c>).</summary>
    Docker,
}
