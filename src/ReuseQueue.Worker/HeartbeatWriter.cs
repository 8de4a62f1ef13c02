using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReuseQueue.Contracts;
using StackExchange.Redis;

namespace ReuseQueue.Worker;

/// <summary>
/// Writes the replica's <see cref="ReplicaHeartbeat"/> to Redis every beat interval, with an expiry of
/// <see cref="ExpiryIntervals"/> intervals so that a replica that dies without a word disappears by itself.
/// </summary>
internal sealed class HeartbeatWriter(
    IDatabase redis, ReplicaOptions options, ReplicaStats stats, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>How many beat intervals a heartbeat outlives its last write.</summary>
    public const int ExpiryIntervals = 5;

    private readonly RedisKeys _keys = options.Connection.Keys;
    private readonly string _host = Environment.MachineName;
    private readonly string? _version = typeof(HeartbeatWriter).Assembly.GetName().Version?.ToString();
    private readonly SemaphoreSlim _wake = new(0);
    private bool _failing;

    public ReplicaState State { get; set; } = ReplicaState.Running;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        do
        {
            await BeatAsync().ConfigureAwait(false);
        }
        while (await WaitForNextBeatAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Writes the next heartbeat now instead of at the next interval. The replica calls it when its last
    /// running task finishes, so the autoscaler's idle clocks start within one tick instead of one interval.
    /// </summary>
    public void BeatNow() => _wake.Release();

    public async Task BeatAsync()
    {
        var heartbeat = new ReplicaHeartbeat
        {
            Environment = options.Environment,
            ReplicaId = options.ReplicaId,
            State = State,
            StartedAt = stats.StartedAt,
            BeatAt = timeProvider.GetUtcNow(),
            InFlight = stats.InFlight,
            Concurrency = options.Concurrency,
            LastTaskFinishedAt = stats.LastTaskFinishedAt,
            TasksDone = stats.TasksDone,
            Image = options.Image,
            Version = _version,
            Host = _host,
            Pid = Environment.ProcessId,
            Priority = options.Priority,
        };

        try
        {
            var batch = redis.CreateBatch();
            var write = batch.StringSetAsync(
                _keys.Heartbeat(options.Environment, options.ReplicaId),
                JsonSerializer.SerializeToUtf8Bytes(heartbeat, WireJson.Options),
                options.HeartbeatInterval * ExpiryIntervals);
            var index = batch.SetAddAsync(_keys.Replicas(options.Environment), options.ReplicaId);
            batch.Execute();
            await Task.WhenAll(write, index).ConfigureAwait(false);
            if (_failing)
            {
                _failing = false;
                Log.HeartbeatRestored(logger);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            if (!_failing)
            {
                _failing = true;
                Log.HeartbeatFailed(logger, exception);
            }
        }
    }

    /// <summary>Deletes the heartbeat so the autoscaler treats the replica as gone at once.</summary>
    public async Task RemoveAsync()
    {
        try
        {
            await Task.WhenAll(
                redis.KeyDeleteAsync(_keys.Heartbeat(options.Environment, options.ReplicaId)),
                redis.SetRemoveAsync(_keys.Replicas(options.Environment), options.ReplicaId)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Log.HeartbeatRemovalFailed(logger, exception);
        }
    }

    private async Task<bool> WaitForNextBeatAsync(CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wake = _wake.WaitAsync(waiting.Token);
        var interval = Task.Delay(options.HeartbeatInterval, timeProvider, waiting.Token);
        await Task.WhenAny(wake, interval).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);

        // Wake-ups that arrived meanwhile are covered by the beat about to be written.
        while (_wake.Wait(0))
        {
        }

        return !cancellationToken.IsCancellationRequested;
    }
}
