using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Autoscaler.Observation;
using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;
using StackExchange.Redis;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>
/// Section 4: a real autoscaler (<see cref="AutoscalerInstance"/>) on an environment with replicas [0, 4] and
/// concurrency 2. It measures the first message at zero to its result, a burst to the pool at max, and how far past
/// due each scaledown step and the idle TTL step came, from the loop's <see cref="AutoscalerLoop.Decided"/> events.
/// </summary>
public sealed class AutoscalerScenario(BenchContext context, BenchReport report)
{
    private const int MaxReplicas = 4;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentQueue<(DateTimeOffset At, ScalingDecision Decision)> _decisions = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFinished = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _startedAt = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _driverStartedAt = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, long Demand)> _managementDemand = new();

    private TimeSpan ScaledownTtl => context.Options.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2);

    // Shorter than the scaledown steps take to reach zero, so the last replicas go by the idle TTL.
    private TimeSpan IdleTtl => context.Options.Smoke ? TimeSpan.FromMilliseconds(2500) : TimeSpan.FromSeconds(5);

    private int BurstTasks => context.Options.Smoke ? 16 : 40;

    private int BurstTaskMilliseconds => context.Options.Smoke ? 300 : 500;

    /// <param name="driver"><c>process</c> or <c>docker</c>.</param>
    /// <param name="coldStartBaseline">The start-to-result p50 of a replica started without the autoscaler (section 3), in ms.</param>
    public async Task RunAsync(string driver, double? coldStartBaseline)
    {
        report.Settings["4. policy"] = $"replicas [0, {MaxReplicas}], concurrency 2, scaledown_ttl {ScaledownTtl.TotalSeconds:0} s, idle_ttl {IdleTtl.TotalSeconds:0.#} s, tick_interval {TickInterval.TotalMilliseconds:0} ms";
        report.Settings["4. burst"] = $"{BurstTasks} sleep tasks of {BurstTaskMilliseconds} ms, published at once";

        var environment = context.NewEnvironment($"scale-{driver}");
        var keyPrefix = $"bench-{context.RunId}-as-{driver}:";
        var workDirectory = Directory.CreateTempSubdirectory($"bench-{context.RunId}-");
        try
        {
            var configPath = Path.Combine(workDirectory.FullName, "autoscaler.yaml");
            await File.WriteAllTextAsync(configPath, ConfigText(environment, keyPrefix, driver));
            await using var instance = await AutoscalerInstance.CreateAsync(
                configPath, NullLoggerFactory.Instance, TimeProvider.System, Path.Combine(workDirectory.FullName, "replicas"));
            instance.Loop.Decided += (name, decision) =>
            {
                if (name == environment)
                {
                    _decisions.Enqueue((DateTimeOffset.UtcNow, decision));
                }
            };

            using var stop = new CancellationTokenSource();
            var loop = instance.Loop.RunAsync(stop.Token);
            var sampling = SampleHeartbeatsAsync(environment, new RedisKeys(keyPrefix), stop.Token);
            var driverSampling = SampleDriverAsync(instance, environment, stop.Token);
            var queueSampling = SampleQueueDepthAsync(environment, stop.Token);
            try
            {
                await MeasureAsync(instance, environment, driver, coldStartBaseline);
            }
            catch (TimeoutException exception)
            {
                throw new TimeoutException(
                    $"{exception.Message} Decisions that acted:\n{string.Join("\n", ActingDecisions(_decisions.First().At))}", exception);
            }
            finally
            {
                await stop.CancelAsync();
                await loop;
                await sampling;
                await driverSampling;
                await queueSampling;
                foreach (var replica in await instance.Driver.ListAsync(CancellationToken.None))
                {
                    await instance.Driver.RemoveAsync(replica, CancellationToken.None);
                }
            }
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private async Task MeasureAsync(AutoscalerInstance instance, string environment, string driver, double? coldStartBaseline)
    {
        await using var client = await ReuseQueueClient.ConnectAsync(context.Connection with { KeyPrefix = $"bench-{context.RunId}-as-{driver}:" });
        await WaitUntilAsync(() => _decisions.Count >= 2, TimeSpan.FromSeconds(30), "two ticks of the autoscaler");

        // The first message for an environment at zero, to its result.
        var firstAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        await TaskCalls.RunAsync(client, environment, sleep: false);
        var firstResult = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var coldDecision = FirstDecisionAfter(firstAt, decision => decision.StartCount > 0);
        report.Add(new Figure
        {
            Section = 4, Name = $"{driver}: first message at zero to its result", Value = firstResult, Unit = "ms",
            Baseline = coldStartBaseline is null ? null : $"fresh {driver} replica start to result, no autoscaler (section 3)",
            BaselineValue = coldStartBaseline,
            Ratio = coldStartBaseline is { } baseline ? firstResult / baseline : null,
            RatioMeaning = "value / baseline",
        });
        AddDecisionFigure(driver, "first message at zero to the cold-start decision", firstAt, coldDecision);

        // A burst on the pool of one: the scale-up decision, and all four replicas writing heartbeats.
        var burstAt = DateTimeOffset.UtcNow;
        var burst = Enumerable.Range(0, BurstTasks).Select(_ => client.RunAsync(
            environment, "sleep", JsonSerializer.SerializeToElement(new { milliseconds = BurstTaskMilliseconds }, WireJson.Options),
            new RunOptions { Timeout = TimeSpan.FromSeconds(180) })).ToList();
        var atMax = await WaitForPoolAsync(instance, environment, burstAt);
        var scaleUp = FirstDecisionAfter(burstAt, decision => decision.StartCount > 0);
        AddDecisionFigure(driver, "burst to the scale-up decision", burstAt, scaleUp);
        report.Add(new Figure
        {
            Section = 4, Name = $"{driver}: burst to the pool at max ({MaxReplicas} replicas writing heartbeats)",
            Value = atMax?.TotalMilliseconds, Unit = "ms",
            Baseline = coldStartBaseline is null ? null : $"fresh {driver} replica start to result, no autoscaler (section 3)",
            BaselineValue = coldStartBaseline,
            Ratio = atMax is { } reached && coldStartBaseline is { } startBaseline ? reached.TotalMilliseconds / startBaseline : null,
            RatioMeaning = "value / baseline",
            Note = atMax is null ? "the pool did not reach max within 30 s" : null,
        });
        var results = await Task.WhenAll(burst);
        var burstDoneAt = DateTimeOffset.UtcNow;
        if (results.Any(result => !result.Succeeded))
        {
            throw new InvalidOperationException($"{results.Count(result => !result.Succeeded)} burst tasks failed.");
        }

        // Step down one replica per scaledown TTL, and to zero after the idle TTL or by the last step, whichever comes first.
        var settleTimeout = IdleTtl + ScaledownTtl * MaxReplicas + TimeSpan.FromSeconds(30);
        await WaitUntilAsync(
            () => _decisions.Any(entry => entry.At > burstAt && entry.Decision.Stops.Count > 0 && entry.Decision.LiveReplicas == entry.Decision.Stops.Count),
            settleTimeout, "the pool to go to zero");
        ReportScaleDown(driver, burstAt);
        ReportQueueDepthLag(driver, burstDoneAt);
        foreach (var line in ActingDecisions(firstAt))
        {
            report.AutoscalerDecisions.Enqueue($"{driver}: {line}");
        }
    }

    private void ReportScaleDown(string driver, DateTimeOffset after)
    {
        var tick = TickInterval.TotalMilliseconds;
        DateTimeOffset? previousStep = null;
        var step = 0;
        foreach (var (at, decision) in _decisions.Where(entry => entry.At > after && entry.Decision.Stops.Count > 0))
        {
            var remaining = decision.LiveReplicas - decision.Stops.Count;
            if (decision.Action == ScalingAction.ScaleDown)
            {
                step++;
                var stopped = decision.Stops[0].ReplicaId;
                var idleSince = _lastFinished.TryGetValue(stopped, out var finished) ? finished : _driverStartedAt.GetValueOrDefault(stopped, at);
                var due = idleSince + ScaledownTtl;
                if (previousStep is { } previous && previous + ScaledownTtl > due)
                {
                    due = previous + ScaledownTtl;
                }

                previousStep = at;
                AddLateness(driver, $"scaledown step {step} ({decision.LiveReplicas} -> {remaining})", at, due, tick);
            }
            else if (decision.Action == ScalingAction.ScaleToZero)
            {
                var lastTask = _lastFinished.Values.DefaultIfEmpty(after).Max();
                AddLateness(driver, $"idle TTL step ({decision.LiveReplicas} -> 0)", at, lastTask + IdleTtl, tick);
            }

            if (remaining == 0)
            {
                break;
            }
        }
    }

    // The management API reports queue depth from statistics that the broker refreshes periodically, so a
    // finished burst can still show as demand for a while. This measures for how long.
    private void ReportQueueDepthLag(string driver, DateTimeOffset burstDoneAt)
    {
        var lastNonZero = _managementDemand.Where(sample => sample.Demand > 0).Select(sample => sample.At).DefaultIfEmpty(burstDoneAt).Max();
        var firstZero = _managementDemand.Where(sample => sample.At > lastNonZero && sample.Demand == 0).Select(sample => (DateTimeOffset?)sample.At).FirstOrDefault();
        if (firstZero is { } zeroAt)
        {
            report.Add(new Figure
            {
                Section = 4, Name = $"{driver}: management API demand after the burst's last result", Value = (zeroAt - burstDoneAt).TotalMilliseconds,
                Unit = "ms", Baseline = "one tick", BaselineValue = TickInterval.TotalMilliseconds,
                Ratio = (zeroAt - burstDoneAt) / TickInterval, RatioMeaning = "ticks",
                Note = "time until GET /api/queues showed 0 ready + 0 unacked, polled every 100 ms; the planner counts the environment busy until then",
            });
        }
    }

    /// <summary>Returns the decisions that started or stopped replicas, one line each, with seconds since <paramref name="start"/>.</summary>
    private IEnumerable<string> ActingDecisions(DateTimeOffset start) => _decisions
        .Where(entry => entry.Decision.StartCount > 0 || entry.Decision.Stops.Count > 0)
        .Select(entry => $"+{(entry.At - start).TotalSeconds:0.00} s {entry.Decision.Action}: {entry.Decision.Reason}");

    private void AddLateness(string driver, string name, DateTimeOffset at, DateTimeOffset due, double tick)
    {
        var lateness = (at - due).TotalMilliseconds;
        report.Add(new Figure
        {
            Section = 4, Name = $"{driver}: {name}, time past due", Value = lateness, Unit = "ms",
            Baseline = "one tick", BaselineValue = tick, Ratio = lateness / tick, RatioMeaning = "ticks past due",
            Target = "<= 1 tick past due", Met = lateness <= tick,
        });
    }

    private void AddDecisionFigure(string driver, string name, DateTimeOffset demandAt, (DateTimeOffset At, int Tick)? decision)
    {
        report.Add(new Figure
        {
            Section = 4, Name = $"{driver}: {name}", Value = decision is { } found ? (found.At - demandAt).TotalMilliseconds : null, Unit = "ms",
            Baseline = "one tick", BaselineValue = TickInterval.TotalMilliseconds,
            Ratio = decision?.Tick, RatioMeaning = "ticks: 1 = the first tick after the demand",
            Target = "decided on the first tick after the demand", Met = decision is { } tick ? tick.Tick == 1 : false,
            Note = decision is null ? "no decision to start a replica was seen" : null,
        });
    }

    // Returns the first decision after 'after' that matches, with its tick number counted from 'after' (1 = the first tick).
    private (DateTimeOffset At, int Tick)? FirstDecisionAfter(DateTimeOffset after, Func<ScalingDecision, bool> match)
    {
        var tick = 0;
        foreach (var (at, decision) in _decisions.Where(entry => entry.At > after))
        {
            tick++;
            if (match(decision))
            {
                return (at, tick);
            }
        }

        return null;
    }

    private async Task<TimeSpan?> WaitForPoolAsync(AutoscalerInstance instance, string environment, DateTimeOffset burstAt)
    {
        var giveUpAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < giveUpAt)
        {
            var running = (await instance.Driver.ListAsync(CancellationToken.None))
                .Where(replica => replica.Environment == environment && replica.IsRunning)
                .ToList();
            if (running.Count >= MaxReplicas)
            {
                var beating = 0;
                foreach (var replica in running)
                {
                    if (_startedAt.ContainsKey(replica.ReplicaId))
                    {
                        beating++;
                    }
                }

                if (beating >= MaxReplicas)
                {
                    return DateTimeOffset.UtcNow - burstAt;
                }
            }

            await Task.Delay(25);
        }

        return null;
    }

    // Reads the environment's heartbeats every 25 ms and keeps each replica's start and last finished task.
    private async Task SampleHeartbeatsAsync(string environment, RedisKeys keys, CancellationToken cancellationToken)
    {
        var database = context.Redis.GetDatabase();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var ids = await database.SetMembersAsync(keys.Replicas(environment));
                if (ids.Length > 0)
                {
                    var values = await database.StringGetAsync(ids.Select(id => (RedisKey)keys.Heartbeat(environment, id!)).ToArray());
                    foreach (var value in values.Where(value => value.HasValue))
                    {
                        var heartbeat = JsonSerializer.Deserialize<ReplicaHeartbeat>((byte[])value!, WireJson.Options)!;
                        _startedAt.TryAdd(heartbeat.ReplicaId, heartbeat.StartedAt);
                        if (heartbeat.LastTaskFinishedAt is { } finished)
                        {
                            _lastFinished.AddOrUpdate(heartbeat.ReplicaId, finished, (_, known) => finished > known ? finished : known);
                        }
                    }
                }

                await Task.Delay(25, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SampleDriverAsync(AutoscalerInstance instance, string environment, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var replica in await instance.Driver.ListAsync(cancellationToken))
                {
                    if (replica.Environment == environment)
                    {
                        _driverStartedAt.TryAdd(replica.ReplicaId, replica.StartedAt);
                    }
                }

                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Polls the same management API call that the autoscaler observes queues with.
    // NOTE: the address is the default http://127.0.0.1:15672/ and does not follow REUSEQ_MANAGEMENT_PORT.
    private async Task SampleQueueDepthAsync(string environment, CancellationToken cancellationToken)
    {
        using var observer = new ManagementApiQueueObserver(new Uri("http://127.0.0.1:15672/"), "/",
            context.Connection.AmqpUser ?? "guest", context.Connection.AmqpPassword ?? "guest", TimeSpan.FromSeconds(5));
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var observed = await observer.ObserveAsync([environment], cancellationToken);
                _managementDemand.Enqueue((DateTimeOffset.UtcNow, observed[environment].Demand));
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private string ConfigText(string environment, string keyPrefix, string driver)
    {
        var runtime = driver == "docker"
            ? $"    image: {ColdStartScenario.WorkerImage}"
            : $"    command: [\"dotnet\", \"{BenchContext.WorkerAssemblyPath}\"]";
        var allowedImages = driver == "docker" ? "\n  allowed_images: [\"reuseq/*\"]" : string.Empty;
        return $"""
            redis:
              key_prefix: "{keyPrefix}"
            autoscaler:
              driver: {driver}
              tick_interval: {TickInterval.TotalMilliseconds:0}ms
              heartbeat_timeout: 5s
              grace_period: 5s{allowedImages}
            environments:
              - name: {environment}
            {runtime}
                replicas: [0, {MaxReplicas}]
                concurrency: 2
                scaledown_ttl: {ScaledownTtl.TotalSeconds:0}s
                idle_ttl: {IdleTtl.TotalMilliseconds:0}ms

            """;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string description)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > giveUpAt)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {description}.");
            }

            await Task.Delay(50);
        }
    }
}
