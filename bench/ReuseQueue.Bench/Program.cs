using System.Diagnostics;
using ReuseQueue.Bench.Baselines;
using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;
using ReuseQueue.Bench.Scenarios;

// Usage:
//   ReuseQueue.Bench [--smoke] [--results DIR]      run every section and write DIR/latest.json and DIR/latest.md
//   ReuseQueue.Bench raw-server QUEUE CONCURRENCY    the raw AMQP baseline server (started by the benchmark itself)
if (args is ["raw-server", var queue, var concurrencyText])
{
    return await RawRpcServer.RunAsync(queue, int.Parse(concurrencyText));
}

var smoke = false;
var resultsDirectory = Path.Combine(BenchContext.RepositoryRoot, "bench", "results");
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--smoke")
    {
        smoke = true;
    }
    else if (args[i] == "--results" && i + 1 < args.Length)
    {
        resultsDirectory = Path.GetFullPath(args[++i]);
    }
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: ReuseQueue.Bench [--smoke] [--results DIR]");
        return 2;
    }
}

var options = BenchOptions.Create(smoke, resultsDirectory);
var clock = Stopwatch.StartNew();
await using var context = await BenchContext.CreateAsync(options);
var report = new BenchReport
{
    Mode = smoke ? "smoke" : "full",
    RunId = context.RunId,
    StartedAt = DateTimeOffset.UtcNow,
    Machine = MachineInfo.Collect(),
};
report.Machine.Services["RabbitMQ"] = context.Amqp.ServerProperties is { } properties && properties.TryGetValue("version", out var version) && version is byte[] bytes
    ? System.Text.Encoding.UTF8.GetString(bytes)
    : "unknown";
report.Machine.Services["Redis"] = context.Redis.GetServers()[0].Version.ToString();
report.Settings["mode"] = smoke ? "smoke: tiny counts, checks that every figure can be produced; its times mean little" : "full";
report.Settings["queues"] = "durable classic queues, persistent messages, direct reply-to, on every path";

var taskPath = new TaskPathScenario(context, report);
var cold = new ColdStartScenario(context, report);
double? coldProcessBaseline = null;
double? coldContainerBaseline = null;
var sections = new List<(string Name, Func<Task> Run)>
{
    ("1. warm round trip", taskPath.RunRoundTripAsync),
    ("2. throughput", taskPath.RunThroughputAsync),
    ("3. warm vs cold", async () =>
    {
        await cold.RunAsync(taskPath.WarmEcho);
        coldProcessBaseline = report.Figures.FirstOrDefault(figure => figure.Section == 3 && figure.Name.StartsWith("fresh process"))?.Value;
        coldContainerBaseline = report.Figures.FirstOrDefault(figure => figure.Section == 3 && figure.Name.StartsWith("fresh container"))?.Value;
    }),
    ("4. autoscaler, process driver", () => new AutoscalerScenario(context, report).RunAsync("process", coldProcessBaseline)),
    ("4. autoscaler, docker driver", async () =>
    {
        if (!options.AutoscalerWithDocker)
        {
            report.Note("4. The Docker driver was not measured: smoke mode runs the process driver only.");
        }
        else if (await ColdStartScenario.DockerProblemAsync() is { } problem)
        {
            report.Note($"4. The Docker driver was not measured: no Docker engine/image ({problem}).");
        }
        else
        {
            await new AutoscalerScenario(context, report).RunAsync("docker", coldContainerBaseline);
        }
    }),
    ("5. planner and observer at scale", () => new FleetTickScenario(context, report).RunAsync()),
    ("6. footprint", () => new FootprintScenario(context, report).RunAsync()),
};

foreach (var (name, run) in sections)
{
    var started = Stopwatch.GetTimestamp();
    Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0}s] {name} ...");
    try
    {
        await run();
        Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0}s] {name} done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }
    catch (Exception exception)
    {
        report.Errors.Enqueue($"{name}: {exception.GetType().Name}: {exception.Message}");
        Console.Error.WriteLine($"{name} failed: {exception}");
    }
}

report.DurationSeconds = clock.Elapsed.TotalSeconds;
report.Machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
var (jsonPath, markdownPath) = ReportWriter.Write(report, options.ResultsDirectory);
Console.WriteLine();
Console.WriteLine(File.ReadAllText(markdownPath));
Console.WriteLine($"Reports: {jsonPath}");
Console.WriteLine($"         {markdownPath}");
return report.Errors.IsEmpty ? 0 : 1;
