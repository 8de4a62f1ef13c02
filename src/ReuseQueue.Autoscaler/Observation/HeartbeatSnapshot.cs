using ReuseQueue.Contracts;

namespace ReuseQueue.Autoscaler.Observation;

/// <summary>Every replica heartbeat of the watched environments, read in one Redis round trip.</summary>
public sealed record HeartbeatSnapshot
{
    /// <summary>False when Redis could not be read; the autoscaler then holds and stops nothing.</summary>
    public required bool IsReadable { get; init; }

    /// <summary>Why Redis could not be read.</summary>
    public string? Error { get; init; }

    /// <summary>Heartbeats by environment, then by replica id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, ReplicaHeartbeat>> Environments { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, ReplicaHeartbeat>>();

    /// <summary>Replica ids listed in an environment's index whose heartbeat key has expired.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Expired { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public static HeartbeatSnapshot Unreadable(string error) => new() { IsReadable = false, Error = error };

    /// <summary>The heartbeats of one environment; empty when it has none.</summary>
    public IReadOnlyDictionary<string, ReplicaHeartbeat> For(string environment) =>
        Environments.TryGetValue(environment, out var heartbeats)
            ? heartbeats
            : new Dictionary<string, ReplicaHeartbeat>();
}
