using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Autoscaler.Observation;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;
using StackExchange.Redis;

namespace ReuseQueue.Autoscaler.Control;

/// <summary>
/// The control loop. Every tick it observes (queue depth, heartbeats, the driver's replicas), decides
/// with the pure <see cref="ScalingPlanner"/> per environment, and acts through the replica driver.
/// Only the holder of the leader lease acts; other instances stand by.
/// </summary>
public sealed class AutoscalerLoop(
    ConfigWatcher config,
    IReplicaDriver driver,
    IQueueObserver queues,
    HeartbeatObserver heartbeats,
    LeaderLease lease,
    QueueDeclarer queueDeclarer,
    IConnectionMultiplexer redis,
    TimeProvider timeProvider,
    ILogger logger)
{
    private readonly Dictionary<string, PlannerState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScalingAction> _lastActions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _stopping = new(StringComparer.Ordinal);
    private bool _isLeader;
    private bool _redisReachable = true;
    private bool _announcedStandby;
    private bool _heartbeatsWereReadable = true;

    // Heartbeats older than this instant are treated as written at it. It is set whenever this
    // instance starts acting on heartbeats again (Redis back after an outage, or leadership won),
    // so every replica gets at least one full heartbeat timeout to beat before it can be judged dead.
    private DateTimeOffset? _heartbeatGraceFrom;

    /// <summary>Raised after every decision, for tests, the demo and benchmarks.</summary>
    public event Action<string, ScalingDecision>? Decided;

    public bool IsLeader => _isLeader;

    /// <summary>The latest decision per environment.</summary>
    public ConcurrentDictionary<string, ScalingDecision> LastDecisions { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs ticks until cancelled, then gives up the lease and waits for stops in progress.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        AutoscalerLog.Started(logger, lease.HolderId, driver.Kind,
            config.Current.Autoscaler.TickInterval.TotalMilliseconds, config.Current.Environments.Count);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    AutoscalerLog.TickFailed(logger, exception);
                }

                await Task.Delay(config.Current.Autoscaler.TickInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One observe, decide, act round.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        config.Refresh();
        var current = config.Current;
        if (!await HoldLeaseAsync().ConfigureAwait(false))
        {
            return;
        }

        var names = current.Environments.Select(environment => environment.Name).ToList();
        await queueDeclarer.DeclareAsync(names, cancellationToken).ConfigureAwait(false);
        var queueTask = ObserveQueuesAsync(names, cancellationToken);
        var heartbeatTask = heartbeats.ReadAsync(names, cancellationToken);
        var replicas = await driver.ListAsync(cancellationToken).ConfigureAwait(false);
        var observedQueues = await queueTask.ConfigureAwait(false);
        var snapshot = await heartbeatTask.ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        if (snapshot.IsReadable && !_heartbeatsWereReadable)
        {
            // Replicas' Redis clients reconnect on their own schedule after an outage, so they get
            // twice the heartbeat timeout, counted from now, to beat again.
            _heartbeatGraceFrom = now + current.Autoscaler.HeartbeatTimeout;
        }

        _heartbeatsWereReadable = snapshot.IsReadable;

        var planner = new ScalingPlanner(ScalingOptions.FromSettings(current.Autoscaler));
        var byEnvironment = replicas.ToLookup(replica => replica.Environment, StringComparer.Ordinal);
        StopReplicasOfRemovedEnvironments(replicas, names, current.Autoscaler.GracePeriod);
        foreach (var environment in current.Environments)
        {
            var owned = byEnvironment[environment.Name].ToList();
            var decision = Decide(environment, owned, observedQueues[environment.Name], snapshot, now, planner);
            await ActAsync(environment, owned, decision, now, current.Autoscaler.GracePeriod, cancellationToken).ConfigureAwait(false);
            if (snapshot.IsReadable)
            {
                await ForgetExpiredAsync(environment.Name, owned, snapshot).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> HoldLeaseAsync()
    {
        try
        {
            var leader = await lease.TryAcquireAsync().ConfigureAwait(false);
            _redisReachable = true;
            if (leader && !_isLeader)
            {
                AutoscalerLog.BecameLeader(logger, lease.HolderId);
                _heartbeatGraceFrom = timeProvider.GetUtcNow();
            }
            else if (!leader && _isLeader)
            {
                AutoscalerLog.LostLeadership(logger, lease.HolderId);
            }
            else if (!leader && !_announcedStandby)
            {
                _announcedStandby = true;
                AutoscalerLog.StandingBy(logger, lease.HolderId, await lease.CurrentHolderAsync().ConfigureAwait(false));
            }

            _isLeader = leader;
            return leader;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _heartbeatsWereReadable = false;

            // Without Redis neither the lease nor the heartbeats can be read, and a failed read
            // is no evidence that replicas died, so the leader keeps what runs and waits.
            if (_redisReachable)
            {
                _redisReachable = false;
                AutoscalerLog.RedisUnreachable(logger, exception.Message);
            }

            return false;
        }
    }

    private async Task<IReadOnlyDictionary<string, QueueObservation>> ObserveQueuesAsync(
        IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        try
        {
            return await queues.ObserveAsync(names, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var unavailable = QueueObservation.Unavailable($"queue depth unknown ({exception.Message})");
            return names.ToDictionary(name => name, _ => unavailable, StringComparer.Ordinal);
        }
    }

    private ScalingDecision Decide(
        TaskEnvironment environment, IReadOnlyList<ManagedReplica> owned, QueueObservation queue,
        HeartbeatSnapshot snapshot, DateTimeOffset now, ScalingPlanner planner)
    {
        var beats = snapshot.For(environment.Name);
        var observations = owned
            .Where(replica => replica.IsRunning)
            .Select(replica => Observe(replica, beats.GetValueOrDefault(replica.ReplicaId), _heartbeatGraceFrom))
            .ToList();
        var decision = planner.Plan(new ScalingInput
        {
            Policy = environment.Policy,
            Queue = WithUnackedFromHeartbeats(queue, observations, snapshot),
            Replicas = observations,
            HeartbeatsReadable = snapshot.IsReadable,
            HeartbeatError = snapshot.Error,
            State = _states.GetValueOrDefault(environment.Name) ?? PlannerState.Initial,
            Now = now,
        });
        _states[environment.Name] = decision.State;
        LastDecisions[environment.Name] = decision;
        Report(environment.Name, decision, now);
        return decision;
    }

    // A replica's prefetch equals its dispatch concurrency, so each unacknowledged delivery is a task
    // it is running and reports in its heartbeat. The heartbeats are at most one beat old, while the
    // management API's unacknowledged count was seen lagging by several seconds, which delayed
    // scale-down and idle decisions.
    private static QueueObservation WithUnackedFromHeartbeats(
        QueueObservation queue, IReadOnlyList<ReplicaObservation> replicas, HeartbeatSnapshot snapshot) =>
        snapshot.IsReadable && queue.IsObserved
            ? queue with { Unacked = replicas.Sum(replica => (long)replica.InFlight) }
            : queue;

    private static ReplicaObservation Observe(ManagedReplica replica, ReplicaHeartbeat? heartbeat, DateTimeOffset? graceFrom) => new()
    {
        Id = replica.ReplicaId,
        StartedAt = replica.StartedAt,
        LastBeatAt = graceFrom is { } grace && replica.StartedAt < grace && (heartbeat is null || heartbeat.BeatAt < grace)
            ? grace
            : heartbeat?.BeatAt,
        InFlight = heartbeat?.InFlight ?? 0,
        LastTaskFinishedAt = heartbeat?.LastTaskFinishedAt,
        IsDraining = heartbeat?.State == ReplicaState.Draining,
    };

    private async Task ActAsync(
        TaskEnvironment environment, IReadOnlyList<ManagedReplica> owned, ScalingDecision decision,
        DateTimeOffset now, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        foreach (var exited in owned.Where(replica => !replica.IsRunning && !_stopping.ContainsKey(replica.ReplicaId)))
        {
            AutoscalerLog.ReplicaExited(logger, environment.Name, exited.ReplicaId,
                exited.ExitDetail ?? (exited.ExitCode is { } code ? $"exit code {code}" : "exit code unknown"));
            BeginStop(exited, remove: true, gracePeriod, "exited");
        }

        foreach (var stop in decision.Stops)
        {
            var replica = owned.FirstOrDefault(candidate => candidate.ReplicaId == stop.ReplicaId);
            if (replica is not null)
            {
                AutoscalerLog.StoppingReplica(logger, environment.Name, stop.ReplicaId, stop.Detail);
                BeginStop(replica, remove: stop.Reason == ReplicaStopReason.Dead, gracePeriod, stop.Detail);
            }
        }

        var connection = config.Current.ToConnectionOptions();
        for (var i = 0; i < decision.StartCount; i++)
        {
            var replicaId = ReplicaVariables.NewReplicaId(environment.Name, now);
            var variables = ReplicaVariables.For(environment, replicaId, timeProvider.GetUtcNow(), gracePeriod, connection);
            try
            {
                var started = await driver.StartAsync(new ReplicaLaunch(environment, replicaId, variables), cancellationToken)
                    .ConfigureAwait(false);
                AutoscalerLog.ReplicaStarted(logger, environment.Name, replicaId, started.RuntimeId);
            }
            catch (ReplicaStartException exception)
            {
                AutoscalerLog.ReplicaStartFailed(logger, environment.Name, replicaId, exception.Message);
                break;
            }
        }
    }

    // Stops run in the background: a drain can take the whole grace period, and the loop must keep ticking.
    private void BeginStop(ManagedReplica replica, bool remove, TimeSpan gracePeriod, string reason)
    {
        if (_stopping.ContainsKey(replica.ReplicaId))
        {
            return;
        }

        _stopping[replica.ReplicaId] = Task.Run(async () =>
        {
            try
            {
                if (remove)
                {
                    await driver.RemoveAsync(replica, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    var exitCode = await driver.StopAsync(replica, gracePeriod, CancellationToken.None).ConfigureAwait(false);
                    AutoscalerLog.ReplicaStopped(logger, replica.Environment, replica.ReplicaId, exitCode?.ToString() ?? "unknown");
                }
            }
            catch (Exception exception)
            {
                AutoscalerLog.ReplicaStopFailed(logger, exception, replica.Environment, replica.ReplicaId);
            }
            finally
            {
                _stopping.TryRemove(replica.ReplicaId, out _);
            }
        });
    }

    private void StopReplicasOfRemovedEnvironments(
        IReadOnlyList<ManagedReplica> replicas, IReadOnlyList<string> names, TimeSpan gracePeriod)
    {
        foreach (var replica in replicas.Where(replica => !names.Contains(replica.Environment)))
        {
            if (!_stopping.ContainsKey(replica.ReplicaId))
            {
                AutoscalerLog.OrphanReplica(logger, replica.Environment, replica.ReplicaId);
                BeginStop(replica, remove: !replica.IsRunning, gracePeriod, "environment removed from config");
            }
        }
    }

    private async Task ForgetExpiredAsync(string environment, IReadOnlyList<ManagedReplica> owned, HeartbeatSnapshot snapshot)
    {
        if (snapshot.Expired.TryGetValue(environment, out var expired) && expired.Count > 0)
        {
            var ownedIds = owned.Select(replica => replica.ReplicaId).ToHashSet(StringComparer.Ordinal);
            await heartbeats.ForgetAsync(environment, expired.Where(id => !ownedIds.Contains(id))).ConfigureAwait(false);
        }
    }

    private void Report(string environment, ScalingDecision decision, DateTimeOffset now)
    {
        Decided?.Invoke(environment, decision);
        // Log what changes: an action, a new kind of decision, or a new reason to hold. A steady
        // decision whose countdown ticks down is not news.
        var previous = _lastActions.GetValueOrDefault(environment);
        var acts = decision.StartCount > 0 || decision.Stops.Count > 0;
        if (acts || previous != decision.Action
            || (decision.Action == ScalingAction.Hold && _lastReasons.GetValueOrDefault(environment) != decision.Reason))
        {
            if (decision.Action == ScalingAction.Hold)
            {
                AutoscalerLog.Holding(logger, environment, decision.Reason);
            }
            else
            {
                AutoscalerLog.Decision(logger, environment, decision.Reason);
            }
        }

        _lastActions[environment] = decision.Action;
        _lastReasons[environment] = decision.Reason;

        var record = new DecisionRecord
        {
            Action = decision.Action.ToString(),
            Reason = decision.Reason,
            Live = decision.LiveReplicas,
            Target = decision.TargetReplicas,
            DecidedAt = now,
            Leader = lease.HolderId,
            CrashLoop = decision.State.CrashCount > 1 ? decision.Reason : null,
        };
        _ = redis.GetDatabase().HashSetAsync(
            new RedisKeys(config.Current.Redis.KeyPrefix).Decisions, environment,
            JsonSerializer.Serialize(record, WireJson.Options), flags: CommandFlags.FireAndForget);
    }

    private async Task ShutdownAsync()
    {
        try
        {
            await Task.WhenAll(_stopping.Values).WaitAsync(config.Current.Autoscaler.GracePeriod + TimeSpan.FromSeconds(5))
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        if (_isLeader)
        {
            try
            {
                await lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // The lease expires by itself.
            }
        }

        AutoscalerLog.Stopped(logger, lease.HolderId);
    }
}
