using ReuseQueue.Contracts;

namespace ReuseQueue.Client;

/// <summary>A task ran and failed, or was rejected by the replica; <see cref="Result"/> holds the reason.</summary>
public sealed class TaskFailedException(TaskResult result)
    : Exception($"Task '{result.Task}' ({result.ExecutionId}) failed in environment '{result.Environment}': " +
                $"{result.Error?.Type}: {result.Error?.Message}")
{
    public TaskResult Result { get; } = result;

    /// <summary>The error type: an exception type name or one of <see cref="TaskErrorTypes"/>.</summary>
    public string? ErrorType => Result.Error?.Type;
}
