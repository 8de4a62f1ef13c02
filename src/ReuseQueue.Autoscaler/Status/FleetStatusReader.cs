using System.Text.Json;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Autoscaler.Observation;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Configuration;
using StackExchange.Redis;

namespace ReuseQueue.Autoscaler.Status;

/// <summary>
/// Reads the state of every configured environment as the autoscaler observes it: queue depth,
/// the driver's replicas joined with their heartbeats, and the last decision with its reason.
/// </summary>
public sealed class FleetStatusReader(
    IQueueObserver queues, HeartbeatObserver heartbeats, IReplicaDriver driver, IConnectionMultiplexer redis,
    TimeProvider timeProvider)
{
    public async Task<FleetStatus> ReadAsync(AutoscalerConfig config, CancellationToken cancellationToken)
    {
        var names = config.Environments.Select(environment => environment.Name).ToList();
        var observed = await queues.ObserveAsync(names, cancellationToken).ConfigureAwait(false);
        var snapshot = await heartbeats.ReadAsync(names, cancellationToken).ConfigureAwait(false);
        var replicas = await driver.ListAsync(cancellationToken).ConfigureAwait(false);
        var keys = new RedisKeys(config.Redis.KeyPrefix);
        var decisions = await ReadDecisionsAsync(keys).ConfigureAwait(false);
        var leader = await ReadLeaderAsync(keys).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();

        var environments = config.Environments.Select(environment =>
        {
            var beats = snapshot.For(environment.Name);
            var rows = replicas
                .Where(replica => replica.Environment == environment.Name)
                .OrderBy(replica => replica.StartedAt)
                .Select(replica => Describe(replica, beats.GetValueOrDefault(replica.ReplicaId), environment.Policy.Concurrency, now))
                .ToList();
            return new EnvironmentStatus(
                environment.Name, environment.Policy, observed[environment.Name], rows,
                decisions.GetValueOrDefault(environment.Name));
        }).ToList();
        return new FleetStatus(leader, environments, snapshot.IsReadable ? null : snapshot.Error);
    }

    private async Task<string?> ReadLeaderAsync(RedisKeys keys)
    {
        try
        {
            return await redis.GetDatabase().StringGetAsync(keys.LeaderLease).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static ReplicaStatus Describe(ManagedReplica replica, ReplicaHeartbeat? heartbeat, int concurrency, DateTimeOffset now)
    {
        var state = !replica.IsRunning ? "exited"
            : heartbeat is null ? "starting"
            : heartbeat.State == ReplicaState.Draining ? "draining"
            : heartbeat.InFlight > 0 ? "busy"
            : "idle";
        TimeSpan? idleFor = state == "idle" ? now - (heartbeat!.LastTaskFinishedAt ?? heartbeat.StartedAt) : null;
        return new ReplicaStatus(
            replica.ReplicaId, state, heartbeat?.InFlight ?? 0, heartbeat?.Concurrency ?? concurrency, idleFor,
            replica.StartedAt, replica.RuntimeId, replica.Image, heartbeat?.TasksDone ?? 0);
    }

    private async Task<Dictionary<string, DecisionRecord>> ReadDecisionsAsync(RedisKeys keys)
    {
        var decisions = new Dictionary<string, DecisionRecord>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in await redis.GetDatabase().HashGetAllAsync(keys.Decisions).ConfigureAwait(false))
            {
                if (JsonSerializer.Deserialize<DecisionRecord>((string)entry.Value!, WireJson.Options) is { } record)
                {
                    decisions[entry.Name!] = record;
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or JsonException or TimeoutException)
        {
            // Status still shows queues and replicas without the decisions.
        }

        return decisions;
    }
}
