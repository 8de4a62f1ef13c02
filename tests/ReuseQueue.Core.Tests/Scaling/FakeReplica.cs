using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

/// <summary>A replica of <see cref="FakeFleet"/>.</summary>
internal sealed class FakeReplica(string id, DateTimeOffset startedAt)
{
    public string Id { get; } = id;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public int InFlight { get; set; }

    public DateTimeOffset? LastTaskFinishedAt { get; set; }

    /// <summary>Whether the replica stopped writing heartbeats; its last one stays in Redis.</summary>
    public bool Hung { get; set; }

    /// <summary>Whether the process exited; the driver no longer lists it.</summary>
    public bool Exited { get; set; }

    public DateTimeOffset? LastBeatAt { get; private set; }

    public ReplicaObservation Observe(DateTimeOffset now)
    {
        if (!Hung)
        {
            LastBeatAt = now;
        }

        return new ReplicaObservation
        {
            Id = Id,
            StartedAt = StartedAt,
            LastBeatAt = LastBeatAt,
            InFlight = InFlight,
            LastTaskFinishedAt = LastTaskFinishedAt,
        };
    }
}
