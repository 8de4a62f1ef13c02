using ReuseQueue.Client;

namespace ReuseQueue.Worker;

/// <summary>What a handler knows about the task it runs and the replica it runs on.</summary>
public sealed class TaskContext
{
    internal TaskContext(string executionId, string task, int attempt, ReplicaOptions replica, ReuseQueueClient client)
    {
        ExecutionId = executionId;
        Task = task;
        Attempt = attempt;
        Environment = replica.Environment;
        ReplicaId = replica.ReplicaId;
        Client = client;
    }

    public string ExecutionId { get; }

    public string Task { get; }

    /// <summary>How many times the task was tried before this run: 0 on the first run.</summary>
    public int Attempt { get; }

    public string Environment { get; }

    public string ReplicaId { get; }

    /// <summary>A client for running other tasks, in this environment or another, and awaiting their results.</summary>
    public ReuseQueueClient Client { get; }
}
