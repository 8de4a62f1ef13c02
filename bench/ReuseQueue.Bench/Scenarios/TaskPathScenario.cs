using ReuseQueue.Bench.Baselines;
using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;
using ReuseQueue.Client;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>
/// Sections 1 and 2: the warm round trip one task after another, and throughput with 64 requests in flight,
/// through <see cref="ReuseQueueClient"/> to example worker replicas, next to raw AMQP RPC and MassTransit.
/// </summary>
public sealed class TaskPathScenario(BenchContext context, BenchReport report)
{
    private readonly BenchOptions _options = context.Options;

    /// <summary>The warm p50 of the echo task, which section 3 compares cold starts with.</summary>
    public LatencyStats? WarmEcho { get; private set; }

    public async Task RunRoundTripAsync()
    {
        report.Settings["1. tasks"] = $"echo of {{\"value\":1}}; {_options.WarmupCalls} warm-up calls, then {_options.RoundTripCalls} measured, one after another";
        report.Settings["1. replica"] = "1 example worker process at concurrency 1";

        var environment = context.NewEnvironment("warm");
        await using var client = await ReuseQueueClient.ConnectAsync(context.Connection, $"bench-{context.RunId}-client");
        var replica = await context.StartReplicaAsync(environment, "warm-1", concurrency: 1);
        var reuse = await LoadRunner.SequentialAsync(
            () => TaskCalls.RunAsync(client, environment, sleep: false), _options.WarmupCalls, _options.RoundTripCalls);
        WarmEcho = reuse;
        await BenchContext.StopAllAsync([replica]);

        var raw = await MeasureRawAsync(concurrency: 1, rawClient =>
            LoadRunner.SequentialAsync(() => rawClient.CallAsync(RawQueue(1), sleep: false), _options.WarmupCalls, _options.RoundTripCalls));

        await using var massTransit = await StartMassTransitAsync();
        var bus = await LoadRunner.SequentialAsync(() => massTransit.CallAsync(sleep: false), _options.WarmupCalls, _options.RoundTripCalls);

        report.Add(Figure.Compared(1, "ReuseQueueClient p50", reuse.P50, "ms", "raw AMQP RPC p50", raw.P50) with
        {
            Target = "<= 2x raw AMQP RPC",
            Met = reuse.P50 <= 2 * raw.P50,
        });
        report.Add(Figure.Compared(1, "ReuseQueueClient p99", reuse.P99, "ms", "raw AMQP RPC p99", raw.P99));
        report.Add(Figure.Compared(1, "ReuseQueueClient p50", reuse.P50, "ms", "MassTransit request client p50", bus.P50));
        report.Add(Figure.Compared(1, "ReuseQueueClient p99", reuse.P99, "ms", "MassTransit request client p99", bus.P99));
        report.Add(new Figure { Section = 1, Name = "raw AMQP RPC p50 / p99", Value = raw.P50, Unit = "ms", Note = $"p99 {ReportWriter.Number(raw.P99)} ms" });
        report.Add(new Figure { Section = 1, Name = "MassTransit request client p50 / p99", Value = bus.P50, Unit = "ms", Note = $"p99 {ReportWriter.Number(bus.P99)} ms" });
    }

    public async Task RunThroughputAsync()
    {
        report.Settings["2. load"] = $"{_options.InFlight} calls in flight; {_options.ThroughputWarmup.TotalSeconds:0.#} s warm-up, then {_options.ThroughputWindow.TotalSeconds:0.#} s measured per cell";
        report.Settings["2. tasks"] = "no-op: echo of {\"value\":1}; 1 ms: sleep of 1 ms";
        report.Settings["2. raw baseline"] = "one server process, prefetch and dispatch concurrency equal to the cell's concurrency, durable queue, persistent messages";

        var cells = new List<(int Replicas, int Concurrency, bool Sleep, double Rate)>();
        await using var client = await ReuseQueueClient.ConnectAsync(context.Connection, $"bench-{context.RunId}-load");
        foreach (var concurrency in _options.Concurrencies)
        {
            var environment = context.NewEnvironment($"load-c{concurrency}");
            var replicas = new List<ChildProcess>();
            foreach (var count in _options.ReplicaCounts)
            {
                while (replicas.Count < count)
                {
                    replicas.Add(await context.StartReplicaAsync(environment, $"load-c{concurrency}-{replicas.Count + 1}", concurrency));
                }

                foreach (var sleep in new[] { false, true })
                {
                    var rate = await LoadRunner.PipelinedAsync(
                        () => TaskCalls.RunAsync(client, environment, sleep), _options.InFlight, _options.ThroughputWarmup, _options.ThroughputWindow);
                    cells.Add((count, concurrency, sleep, rate));
                }
            }

            await BenchContext.StopAllAsync(replicas);
        }

        var rawRates = new Dictionary<(int Concurrency, bool Sleep), double>();
        foreach (var concurrency in _options.Concurrencies)
        {
            await MeasureRawAsync(concurrency, async rawClient =>
            {
                foreach (var sleep in new[] { false, true })
                {
                    rawRates[(concurrency, sleep)] = await LoadRunner.PipelinedAsync(
                        () => rawClient.CallAsync(RawQueue(concurrency), sleep), _options.InFlight, _options.ThroughputWarmup, _options.ThroughputWindow);
                }

                return 0;
            });
        }

        var busRates = new Dictionary<bool, double>();
        await using (var massTransit = await StartMassTransitAsync())
        {
            foreach (var sleep in new[] { false, true })
            {
                busRates[sleep] = await LoadRunner.PipelinedAsync(
                    () => massTransit.CallAsync(sleep), _options.InFlight, _options.ThroughputWarmup, _options.ThroughputWindow);
            }

            report.Settings["2. MassTransit baseline"] = $"in-process bus, default receive endpoint (prefetch {massTransit.PrefetchCount}), default request client";
        }

        foreach (var (replicas, concurrency, sleep, rate) in cells)
        {
            report.Add(Figure.Compared(2, $"{Kind(sleep)}, {replicas} replica(s) x concurrency {concurrency}", rate, "tasks/s",
                $"raw AMQP RPC, concurrency {concurrency}", rawRates[(concurrency, sleep)]));
        }

        foreach (var sleep in new[] { false, true })
        {
            var best = cells.Where(cell => cell.Sleep == sleep).MaxBy(cell => cell.Rate);
            var bestRaw = rawRates.Where(pair => pair.Key.Sleep == sleep).MaxBy(pair => pair.Value);
            var bestName = $"best ReuseQueue {Kind(sleep)} ({best.Replicas} x {best.Concurrency})";
            var toRaw = best.Rate / bestRaw.Value;
            report.Add(Figure.Compared(2, bestName, best.Rate, "tasks/s", $"best raw AMQP RPC {Kind(sleep)} (concurrency {bestRaw.Key.Concurrency})", bestRaw.Value) with
            {
                Target = ">= 0.6x raw AMQP RPC",
                Met = toRaw >= 0.6,
            });
            var toBus = best.Rate / busRates[sleep];
            report.Add(Figure.Compared(2, bestName, best.Rate, "tasks/s", $"MassTransit request/response {Kind(sleep)}", busRates[sleep]) with
            {
                Target = "> 2x MassTransit",
                Met = toBus > 2,
            });
        }
    }

    private static string Kind(bool sleep) => sleep ? "1 ms task" : "no-op";

    private string RawQueue(int concurrency) => $"bench-{context.RunId}-raw-c{concurrency}";

    // Starts the raw server process for the given concurrency, runs the measurement with a connected client, and stops the server.
    private async Task<T> MeasureRawAsync<T>(int concurrency, Func<RawRpcClient, Task<T>> measure)
    {
        var queue = RawQueue(concurrency);
        context.TrackQueue(queue);
        await using var server = context.Track(ChildProcess.StartDotnet(
            $"raw-server-c{concurrency}", BenchContext.BenchAssemblyPath, context.Connection.ToEnvironmentVariables(),
            "raw-server", queue, concurrency.ToString()));
        await server.WaitForFirstLineAsync(TimeSpan.FromSeconds(60));
        await using var rawClient = await RawRpcClient.ConnectAsync(context.Connection);
        var result = await measure(rawClient);
        server.CloseInput();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        return result;
    }

    private Task<MassTransitBaseline> StartMassTransitAsync() =>
        MassTransitBaseline.StartAsync(context.Connection, $"bench-{context.RunId}-mt", context.TrackExchange, context.TrackQueue);
}
