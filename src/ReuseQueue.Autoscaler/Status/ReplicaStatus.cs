namespace ReuseQueue.Autoscaler.Status;

/// <summary>One replica in the status: state is starting, busy, idle, draining or exited.</summary>
public sealed record ReplicaStatus(
    string Id,
    string State,
    int InFlight,
    int Concurrency,
    TimeSpan? IdleFor,
    DateTimeOffset StartedAt,
    string RuntimeId,
    string? Image,
    long TasksDone);
