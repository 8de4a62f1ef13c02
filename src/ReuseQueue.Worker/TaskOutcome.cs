using ReuseQueue.Contracts;

namespace ReuseQueue.Worker;

/// <summary>What a replica does with a delivery once its task has run or been rejected.</summary>
internal sealed record TaskOutcome(TaskResult Result, TaskMessage? Retry)
{
    /// <summary>True when the task goes back to the queue for another attempt instead of returning a result.</summary>
    public bool IsRetry => Retry is not null;
}
