namespace ReuseQueue.Contracts;

/// <summary>The outcome of a task execution, as the strings "succeeded" and "failed" on the wire.</summary>
public enum ExecutionStatus
{
    Succeeded,
    Failed,
}
