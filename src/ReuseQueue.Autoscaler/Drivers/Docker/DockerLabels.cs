namespace ReuseQueue.Autoscaler.Drivers.Docker;

/// <summary>Labels the Docker driver puts on replica containers, so a restarted autoscaler finds its own.</summary>
public static class DockerLabels
{
    /// <summary>The deployment that owns the container: its Redis key prefix.</summary>
    public const string Owner = "io.reuseq.owner";

    public const string Environment = "io.reuseq.environment";

    public const string Replica = "io.reuseq.replica";

    /// <summary>When the driver started the container, as an ISO 8601 UTC timestamp.</summary>
    public const string StartedAt = "io.reuseq.started-at";
}
