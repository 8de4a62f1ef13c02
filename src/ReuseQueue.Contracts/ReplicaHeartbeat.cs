using System.Text.Json.Serialization;

namespace ReuseQueue.Contracts;

/// <summary>
/// A replica's state as it writes it to Redis every beat interval, under
/// <see cref="RedisKeys.Heartbeat"/> with an expiry of a few intervals.
/// </summary>
public sealed record ReplicaHeartbeat
{
    [JsonPropertyName("environment")]
    public required string Environment { get; init; }

    [JsonPropertyName("replicaId")]
    public required string ReplicaId { get; init; }

    [JsonPropertyName("state")]
    public ReplicaState State { get; init; }

    [JsonPropertyName("startedAt")]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the replica wrote this heartbeat.</summary>
    [JsonPropertyName("beatAt")]
    public DateTimeOffset BeatAt { get; init; }

    /// <summary>Tasks running now.</summary>
    [JsonPropertyName("inFlight")]
    public int InFlight { get; init; }

    [JsonPropertyName("concurrency")]
    public int Concurrency { get; init; }

    /// <summary>When the replica last finished a task; null when it has run none.</summary>
    [JsonPropertyName("lastTaskFinishedAt")]
    public DateTimeOffset? LastTaskFinishedAt { get; init; }

    [JsonPropertyName("tasksDone")]
    public long TasksDone { get; init; }

    [JsonPropertyName("image")]
    public string? Image { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("host")]
    public string? Host { get; init; }

    [JsonPropertyName("pid")]
    public int Pid { get; init; }

    /// <summary>The consumer priority (<c>x-priority</c>) the replica consumes with.</summary>
    [JsonPropertyName("priority")]
    public int Priority { get; init; }
}
