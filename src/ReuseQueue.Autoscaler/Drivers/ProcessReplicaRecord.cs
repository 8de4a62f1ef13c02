namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// The JSON file the process driver keeps per replica in its state directory, so that an autoscaler
/// started later finds and adopts the replicas of an earlier one.
/// </summary>
internal sealed record ProcessReplicaRecord
{
    public required string Environment { get; init; }

    public required string ReplicaId { get; init; }

    /// <summary>The replica's process id. The launcher shell execs the command, so it is the command's own pid.</summary>
    public required int Pid { get; init; }

    /// <summary>
    /// The process start time in clock ticks after boot (field 22 of <c>/proc/&lt;pid&gt;/stat</c>).
    /// A process with the same pid and another start time is not this replica.
    /// </summary>
    public required long ProcessStartTime { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The command as configured in the environment: the executable, then its arguments.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The file that receives the replica's standard output and standard error.</summary>
    public required string LogFile { get; init; }
}
