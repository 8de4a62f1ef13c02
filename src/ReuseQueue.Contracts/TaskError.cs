using System.Text.Json.Serialization;

namespace ReuseQueue.Contracts;

/// <summary>Why a task failed: an error type and a message for people.</summary>
/// <param name="Type">
/// The .NET type name of the exception a handler threw, or one of the <see cref="TaskErrorTypes"/>
/// that ReuseQueue itself reports.
/// </param>
/// <param name="Message">What went wrong and, where known, what to do.</param>
public sealed record TaskError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message);
