using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Autoscaler.Status;

/// <summary>What the status command shows for one environment.</summary>
public sealed record EnvironmentStatus(
    string Name,
    ReusePolicy Policy,
    QueueObservation Queue,
    IReadOnlyList<ReplicaStatus> Replicas,
    DecisionRecord? LastDecision);
