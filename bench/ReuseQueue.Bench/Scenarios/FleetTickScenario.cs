using System.Diagnostics;
using System.Text.Json;
using ReuseQueue.Autoscaler.Observation;
using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;
using StackExchange.Redis;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>
/// Section 5: one tick's observe and decide over many environments of 10 replicas each. The heartbeats are
/// written to Redis under this run's prefix and read by <see cref="HeartbeatObserver"/>; queue depths come from a
/// stand-in <see cref="IQueueObserver"/>; every environment is planned by <see cref="ScalingPlanner"/>.
/// The baseline reads the same heartbeats with one SMEMBERS and one MGET per environment, awaited in turn.
/// </summary>
public sealed class FleetTickScenario(BenchContext context, BenchReport report)
{
    private static readonly ReusePolicy Policy = new()
    {
        Replicas = new ReplicaRange(1, 20),
        Concurrency = 2,
        ScaledownTtl = TimeSpan.FromSeconds(30),
        IdleTtl = TimeSpan.FromMinutes(5),
    };

    public async Task RunAsync()
    {
        var options = context.Options;
        var environments = options.FleetEnvironments;
        var perEnvironment = options.FleetReplicasPerEnvironment;
        var keys = new RedisKeys($"bench-{context.RunId}-fleet:");
        var names = Enumerable.Range(0, environments).Select(i => $"bench-{context.RunId}-f{i}").ToList();
        report.Settings["5. fleet"] = $"{environments} environments x {perEnvironment} replicas, heartbeats in Redis; {options.FleetTicks} measured ticks after 2 warm-up ticks";

        await WriteHeartbeatsAsync(keys, names, perEnvironment);
        try
        {
            var observer = new HeartbeatObserver(context.Redis, keys);
            var queues = new StandInQueueObserver();
            var planner = new ScalingPlanner();
            var states = new Dictionary<string, PlannerState>(StringComparer.Ordinal);
            var tickTimes = new List<double>();
            var observeTimes = new List<double>();
            var roundTrips = new List<long>();
            for (var i = 0; i < options.FleetTicks + 2; i++)
            {
                var before = observer.RoundTrips;
                var started = Stopwatch.GetTimestamp();
                var queueTask = queues.ObserveAsync(names, CancellationToken.None);
                var snapshot = await observer.ReadAsync(names, CancellationToken.None);
                var observed = await queueTask;
                var observeTime = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var now = DateTimeOffset.UtcNow;
                foreach (var name in names)
                {
                    var replicas = snapshot.For(name).Values
                        .Select(heartbeat => ReplicaObservation.FromHeartbeat(heartbeat.ReplicaId, heartbeat.StartedAt, heartbeat))
                        .ToList();
                    var decision = planner.Plan(new ScalingInput
                    {
                        Policy = Policy,
                        Queue = observed[name],
                        Replicas = replicas,
                        State = states.GetValueOrDefault(name) ?? PlannerState.Initial,
                        Now = now,
                    });
                    states[name] = decision.State;
                }

                if (i >= 2)
                {
                    tickTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    observeTimes.Add(observeTime);
                    roundTrips.Add(observer.RoundTrips - before);
                }
            }

            var seen = (await observer.ReadAsync(names, CancellationToken.None)).For(names[0]).Count;
            if (seen != perEnvironment)
            {
                throw new InvalidOperationException($"The observer read {seen} heartbeats of {names[0]}, expected {perEnvironment}.");
            }

            var baseline = await MeasurePerEnvironmentReadsAsync(keys, names, Math.Min(3, options.FleetTicks));
            var tick = LatencyStats.Of(tickTimes);
            var observe = LatencyStats.Of(observeTimes);
            var maxRoundTrips = roundTrips.Max();
            report.Add(Figure.Compared(5, $"tick over {environments} x {perEnvironment}: observe + decide (p50)", tick.P50, "ms",
                $"heartbeats read per environment ({2 * environments} round trips), no planning", baseline.P50) with
            {
                Target = "< 100 ms",
                Met = tick.P50 < 100,
                Note = $"max {ReportWriter.Number(tick.Max)} ms; observe alone p50 {ReportWriter.Number(observe.P50)} ms, decide p50 {ReportWriter.Number(tick.P50 - observe.P50)} ms",
            });
            report.Add(new Figure
            {
                Section = 5, Name = "Redis round trips per tick (HeartbeatObserver.RoundTrips)", Value = maxRoundTrips, Unit = "round trips",
                Baseline = "heartbeats read per environment", BaselineValue = 2 * environments,
                Ratio = maxRoundTrips / (2.0 * environments), RatioMeaning = "value / baseline",
                Target = "1 round trip", Met = maxRoundTrips == 1,
            });
        }
        finally
        {
            await context.DeleteKeysAsync(keys.Prefix + "*");
        }
    }

    private async Task WriteHeartbeatsAsync(RedisKeys keys, IReadOnlyList<string> names, int perEnvironment)
    {
        var database = context.Redis.GetDatabase();
        var now = DateTimeOffset.UtcNow;
        var writes = new List<Task>();
        var batch = database.CreateBatch();
        foreach (var name in names)
        {
            for (var r = 0; r < perEnvironment; r++)
            {
                var id = $"{name}-r{r}";
                var heartbeat = new ReplicaHeartbeat
                {
                    Environment = name,
                    ReplicaId = id,
                    State = ReplicaState.Running,
                    StartedAt = now.AddMinutes(-10).AddSeconds(r),
                    BeatAt = now,
                    InFlight = r % 3 == 0 ? 1 : 0,
                    Concurrency = 2,
                    LastTaskFinishedAt = now.AddSeconds(-r),
                    TasksDone = 100 + r,
                    Host = "bench",
                    Pid = 1000 + r,
                };
                writes.Add(batch.StringSetAsync(keys.Heartbeat(name, id), JsonSerializer.SerializeToUtf8Bytes(heartbeat, WireJson.Options), TimeSpan.FromMinutes(10)));
                writes.Add(batch.SetAddAsync(keys.Replicas(name), id));
            }

            writes.Add(batch.KeyExpireAsync(keys.Replicas(name), TimeSpan.FromMinutes(10)));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    // The layout without a script: one SMEMBERS and one MGET per environment, each awaited before the next.
    private async Task<LatencyStats> MeasurePerEnvironmentReadsAsync(RedisKeys keys, IReadOnlyList<string> names, int rounds)
    {
        var database = context.Redis.GetDatabase();
        var times = new List<double>();
        for (var round = 0; round < rounds + 1; round++)
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var name in names)
            {
                var ids = await database.SetMembersAsync(keys.Replicas(name));
                var values = await database.StringGetAsync(ids.Select(id => (RedisKey)keys.Heartbeat(name, id!)).ToArray());
                foreach (var value in values.Where(value => value.HasValue))
                {
                    JsonSerializer.Deserialize<ReplicaHeartbeat>((byte[])value!, WireJson.Options);
                }
            }

            if (round > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return LatencyStats.Of(times);
    }

    /// <summary>Queue depths without a broker: a few ready and unacked messages per environment, the same every tick.</summary>
    private sealed class StandInQueueObserver : IQueueObserver
    {
        public Task<IReadOnlyDictionary<string, QueueObservation>> ObserveAsync(IReadOnlyList<string> environments, CancellationToken cancellationToken)
        {
            var observations = new Dictionary<string, QueueObservation>(environments.Count, StringComparer.Ordinal);
            for (var i = 0; i < environments.Count; i++)
            {
                observations[environments[i]] = QueueObservation.Of(ready: i % 7, unacked: i % 5, consumers: 10);
            }

            return Task.FromResult<IReadOnlyDictionary<string, QueueObservation>>(observations);
        }
    }
}
