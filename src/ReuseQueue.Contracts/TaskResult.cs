using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReuseQueue.Contracts;

/// <summary>
/// The reply a replica sends to the task's <c>reply_to</c> address, or stores in Redis under the
/// execution id when the task came without one.
/// </summary>
public sealed record TaskResult
{
    [JsonPropertyName("executionId")]
    public required string ExecutionId { get; init; }

    [JsonPropertyName("task")]
    public string? Task { get; init; }

    [JsonPropertyName("status")]
    public required ExecutionStatus Status { get; init; }

    /// <summary>The handler's output when <see cref="Status"/> is succeeded.</summary>
    [JsonPropertyName("output")]
    public JsonElement? Output { get; init; }

    /// <summary>Why the task failed when <see cref="Status"/> is failed.</summary>
    [JsonPropertyName("error")]
    public TaskError? Error { get; init; }

    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>The replica that ran (or rejected) the task.</summary>
    [JsonPropertyName("replicaId")]
    public string? ReplicaId { get; init; }

    /// <summary>How many attempts the task took, counting this one.</summary>
    [JsonPropertyName("attempts")]
    public int Attempts { get; init; } = 1;

    [JsonPropertyName("startedAt")]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonPropertyName("finishedAt")]
    public DateTimeOffset? FinishedAt { get; init; }

    [JsonIgnore]
    public bool Succeeded => Status == ExecutionStatus.Succeeded;
}
