using System.Text.Json.Serialization;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>The autoscaler's latest decision for one environment, kept in Redis for the status command.</summary>
public sealed record DecisionRecord
{
    [JsonPropertyName("action")]
    public required string Action { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("live")]
    public int Live { get; init; }

    [JsonPropertyName("target")]
    public int Target { get; init; }

    [JsonPropertyName("decidedAt")]
    public DateTimeOffset DecidedAt { get; init; }

    /// <summary>The autoscaler instance that decided.</summary>
    [JsonPropertyName("leader")]
    public string? Leader { get; init; }

    /// <summary>The latest crash report, when the environment's replicas keep crashing.</summary>
    [JsonPropertyName("crashLoop")]
    public string? CrashLoop { get; init; }
}
