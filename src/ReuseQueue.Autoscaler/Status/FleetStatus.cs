namespace ReuseQueue.Autoscaler.Status;

/// <summary>The status of every configured environment and of the autoscaler itself.</summary>
/// <param name="Leader">The autoscaler instance that holds the leader lease now, or null when none runs.</param>
/// <param name="RedisError">Why Redis could not be read, or null when it could; without Redis the status is incomplete.</param>
public sealed record FleetStatus(string? Leader, IReadOnlyList<EnvironmentStatus> Environments, string? RedisError = null);
