using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReuseQueue.Contracts;

/// <summary>
/// A task message as it travels on <c>reuse.&lt;environment&gt;</c>. Any AMQP client can publish it
/// as JSON; the reply address and correlation id travel in the standard AMQP properties.
/// </summary>
public sealed record TaskMessage
{
    /// <summary>The name of the handler that runs the task.</summary>
    [JsonPropertyName("task")]
    public required string Task { get; init; }

    /// <summary>A caller-chosen id that names this execution; results are keyed by it.</summary>
    [JsonPropertyName("executionId")]
    public required string ExecutionId { get; init; }

    /// <summary>The handler's input, any JSON value; absent means JSON null.</summary>
    [JsonPropertyName("input")]
    public JsonElement Input { get; init; }

    /// <summary>When set, a replica that receives the task after this instant fails it without running it.</summary>
    [JsonPropertyName("deadline")]
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>How many times the task has been tried before this delivery, 0 for a new task.</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; }
}
