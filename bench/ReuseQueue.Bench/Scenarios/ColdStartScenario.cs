using System.Diagnostics;
using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;
using ReuseQueue.Client;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>
/// Section 3: the echo task on a warm replica, on a fresh replica process per task, and on a fresh container per
/// task. A cold run starts the replica, sends the task at once, waits for its result and stops the replica.
/// </summary>
public sealed class ColdStartScenario(BenchContext context, BenchReport report)
{
    public const string WorkerImage = "reuseq/example-worker:latest";

    public async Task RunAsync(LatencyStats? warm)
    {
        var options = context.Options;
        report.Settings["3. cold runs"] = $"{options.ColdRuns} per kind; time from starting the replica to the task's result, and to the replica's exit after SIGTERM";
        await using var client = await ReuseQueueClient.ConnectAsync(context.Connection, $"bench-{context.RunId}-cold");
        if (warm is null)
        {
            var warmEnvironment = context.NewEnvironment("cold-warm");
            var replica = await context.StartReplicaAsync(warmEnvironment, "cold-warm-1", concurrency: 1);
            warm = await LoadRunner.SequentialAsync(() => TaskCalls.RunAsync(client, warmEnvironment, sleep: false), options.WarmupCalls, options.RoundTripCalls);
            await BenchContext.StopAllAsync([replica]);
        }

        report.Add(new Figure { Section = 3, Name = "warm replica, echo p50", Value = warm.P50, Unit = "ms", Note = "the p50 of section 1" });

        var processEnvironment = context.NewEnvironment("cold-process");
        var toResult = new List<double>();
        var toExit = new List<double>();
        for (var i = 0; i < options.ColdRuns; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var replica = context.Track(context.StartReplicaProcess(processEnvironment, $"cold-process-{i + 1}", concurrency: 1));
            await TaskCalls.RunAsync(client, processEnvironment, sleep: false);
            toResult.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            replica.Terminate();
            await replica.WaitForExitAsync(TimeSpan.FromSeconds(30));
            toExit.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var process = LatencyStats.Of(toResult);
        report.Add(Figure.Compared(3, "fresh process per task, start to result (p50)", process.P50, "ms", "warm replica p50", warm.P50) with
        {
            Note = $"start to exit p50 {ReportWriter.Number(LatencyStats.Of(toExit).P50)} ms; ratio = how many times slower than warm",
        });

        var dockerProblem = await DockerProblemAsync();
        if (dockerProblem is not null)
        {
            report.Add(new Figure
            {
                Section = 3, Name = "fresh container per task", Unit = "ms", Target = ">= 1000x slower than warm",
                Note = $"no Docker engine/image ({dockerProblem})",
            });
            return;
        }

        var containerEnvironment = context.NewEnvironment("cold-container");
        var containerToResult = new List<double>();
        var containerToExit = new List<double>();
        for (var i = 0; i < options.ColdRuns; i++)
        {
            var name = $"bench-{context.RunId}-cold-{i + 1}";
            context.TrackContainer(name);
            var arguments = new List<string> { "run", "--rm", "--network", "host", "--name", name };
            foreach (var (key, value) in context.ReplicaVariables(containerEnvironment, name, concurrency: 1))
            {
                arguments.AddRange(["-e", $"{key}={value}"]);
            }

            arguments.Add(WorkerImage);
            var started = Stopwatch.GetTimestamp();
            await using var container = context.Track(ChildProcess.Start(name, "docker", arguments));
            await TaskCalls.RunAsync(client, containerEnvironment, sleep: false).WaitAsync(TimeSpan.FromSeconds(120));
            containerToResult.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await using (var stop = ChildProcess.Start("docker stop", "docker", ["stop", "--time", "10", name]))
            {
                await stop.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            await container.WaitForExitAsync(TimeSpan.FromSeconds(30));
            containerToExit.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cold = LatencyStats.Of(containerToResult);
        var ratio = cold.P50 / warm.P50;
        report.Add(Figure.Compared(3, "fresh container per task, start to result (p50)", cold.P50, "ms", "warm replica p50", warm.P50) with
        {
            Target = ">= 1000x slower than warm",
            Met = ratio >= 1000,
            Note = $"start to exit p50 {ReportWriter.Number(LatencyStats.Of(containerToExit).P50)} ms; `docker run --rm --network host {WorkerImage}`",
        });
    }

    /// <summary>Returns why no container can be started, or null when a Docker engine responds and has the image.</summary>
    public static async Task<string?> DockerProblemAsync()
    {
        try
        {
            await using var version = ChildProcess.Start("docker version", "docker", ["version", "--format", "{{.Server.Version}}"]);
            if (await version.WaitForExitAsync(TimeSpan.FromSeconds(15)) != 0)
            {
                return $"`docker version` failed: {version.OutputTail.Trim()}";
            }

            await using var image = ChildProcess.Start("docker image inspect", "docker", ["image", "inspect", "--format", "{{.Id}}", WorkerImage]);
            if (await image.WaitForExitAsync(TimeSpan.FromSeconds(15)) != 0)
            {
                return $"image {WorkerImage} not found; build it with infra/build-images.sh";
            }

            return null;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"the docker command is missing: {exception.Message}";
        }
    }
}
