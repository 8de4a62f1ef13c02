namespace ReuseQueue.Contracts;

/// <summary>
/// Redis key layout. Every key starts with a prefix (default <see cref="DefaultPrefix"/>) so that
/// several deployments, or tests, can share one Redis without seeing each other.
/// </summary>
public sealed class RedisKeys
{
    /// <summary>The key prefix used when none is configured.</summary>
    public const string DefaultPrefix = "reuseq:";

    public RedisKeys(string? prefix = null)
    {
        Prefix = string.IsNullOrEmpty(prefix) ? DefaultPrefix : prefix;
    }

    public string Prefix { get; }

    /// <summary>A string key holding one replica's <see cref="ReplicaHeartbeat"/> as JSON, with an expiry.</summary>
    public string Heartbeat(string environment, string replicaId) =>
        $"{Prefix}hb:{environment}:{replicaId}";

    /// <summary>A set of the replica ids of an environment that have written a heartbeat.</summary>
    public string Replicas(string environment) => $"{Prefix}replicas:{environment}";

    /// <summary>A string key holding a submitted task's <see cref="TaskResult"/> as JSON, with an expiry.</summary>
    public string Result(string executionId) => $"{Prefix}result:{executionId}";

    /// <summary>The autoscaler's leader lease.</summary>
    public string LeaderLease => $"{Prefix}autoscaler:leader";

    /// <summary>A hash of the autoscaler's last decision per environment, read by the status command.</summary>
    public string Decisions => $"{Prefix}autoscaler:decisions";
}
