using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>What a replica does with a delivery once its task has run or been rejected.</summary>
internal sealed record TaskOutcome(TaskResult Result, TaskMessage? Retry)
{
    /// <summary>
    /// True when the replica gave up on the task because its drain grace period ran out. Such a task
    /// gets no result and is not acknowledged, so RabbitMQ redelivers it to another replica.
    /// </summary>
    public bool Abandoned { get; init; }

    /// <summary>True when the task goes back to the queue for another attempt instead of returning a result.</summary>
    public bool IsRetry => Retry is not null;
}
