namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>A replica as its driver sees it: the process or container, not the heartbeat.</summary>
public sealed record ManagedReplica
{
    public required string Environment { get; init; }

    public required string ReplicaId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>False once the process or container has exited.</summary>
    public required bool IsRunning { get; init; }

    /// <summary>The exit code of an exited replica, when known.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The process id or container id.</summary>
    public required string RuntimeId { get; init; }

    /// <summary>The image a container runs, or the command a process runs.</summary>
    public string? Image { get; init; }

    /// <summary>More about how it ended, for example "killed: out of memory".</summary>
    public string? ExitDetail { get; init; }
}
