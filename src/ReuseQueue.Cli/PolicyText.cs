using ReuseQueue.Core.Configuration;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Cli;

internal static class PolicyText
{
    /// <summary>Describes a policy in config-file terms, e.g. <c>replicas [1, 4], concurrency 2, scaledown_ttl 30s, idle_ttl 5m</c>.</summary>
    public static string Describe(ReusePolicy policy)
    {
        var replicas = policy.Replicas.IsFixed ? $"{policy.Replicas.Min}" : $"[{policy.Replicas.Min}, {policy.Replicas.Max}]";
        var idle = policy.IdleTtl is { } idleTtl ? DurationText.Format(idleTtl) : "null (always on)";
        return $"replicas {replicas}, concurrency {policy.Concurrency}, scaledown_ttl {DurationText.Format(policy.ScaledownTtl)}, idle_ttl {idle}";
    }
}
