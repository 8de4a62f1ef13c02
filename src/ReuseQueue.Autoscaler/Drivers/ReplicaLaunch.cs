using ReuseQueue.Core.Policy;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>What a driver needs to start one replica.</summary>
/// <param name="Environment">The task environment: command or image, resources, its own variables.</param>
/// <param name="ReplicaId">The new replica's id, unique within the environment.</param>
/// <param name="Variables">
/// The <c>REUSEQ_*</c> settings of the replica (environment, replica id, concurrency, priority, broker and
/// Redis addresses); the driver sets them on top of <see cref="TaskEnvironment.EnvironmentVariables"/>.
/// </param>
public sealed record ReplicaLaunch(
    TaskEnvironment Environment,
    string ReplicaId,
    IReadOnlyDictionary<string, string> Variables);
