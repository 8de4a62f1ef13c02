using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>
/// The result of reading a delivery: the task message, or the error that stops it from running.
/// The execution id is known in both cases when the publisher set one anywhere.
/// </summary>
internal sealed record ParsedTask(string ExecutionId, TaskMessage? Message, TaskError? Error)
{
    public static ParsedTask Valid(TaskMessage message) => new(message.ExecutionId, message, null);

    public static ParsedTask Invalid(string executionId, string type, string message) =>
        new(executionId, null, new TaskError(type, message));
}
