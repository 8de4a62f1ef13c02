using ReuseQueue.Bench.Infrastructure;
using ReuseQueue.Bench.Reporting;

namespace ReuseQueue.Bench.Scenarios;

/// <summary>
/// Section 6: resident memory (VmRSS) of an idle replica and of an autoscaler process (<c>reuseq up</c>), next to
/// the raw AMQP baseline server, the smallest .NET process that consumes a queue.
/// </summary>
public sealed class FootprintScenario(BenchContext context, BenchReport report)
{
    private TimeSpan IdleWait => context.Options.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(3);

    public async Task RunAsync()
    {
        report.Settings["6. footprint"] = $"VmRSS from /proc/<pid>/status after {IdleWait.TotalSeconds:0} s idle";

        var rawQueue = $"bench-{context.RunId}-raw-idle";
        context.TrackQueue(rawQueue);
        await using var raw = context.Track(ChildProcess.StartDotnet(
            "raw-server-idle", BenchContext.BenchAssemblyPath, context.Connection.ToEnvironmentVariables(), "raw-server", rawQueue, "1"));
        await raw.WaitForFirstLineAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(IdleWait);
        var rawBytes = raw.ResidentBytes() ?? throw new InvalidOperationException("The raw server exited before its memory was read.");
        raw.CloseInput();

        var environment = context.NewEnvironment("idle");
        var replica = await context.StartReplicaAsync(environment, "idle-1", concurrency: 1);
        await Task.Delay(IdleWait);
        var replicaBytes = replica.ResidentBytes() ?? throw new InvalidOperationException($"The idle replica exited:\n{replica.OutputTail}");
        await BenchContext.StopAllAsync([replica]);

        var autoscalerBytes = await MeasureAutoscalerAsync();
        const double MiB = 1024 * 1024;
        report.Add(Figure.Compared(6, "idle replica (example worker)", replicaBytes / MiB, "MiB", "raw AMQP server process", rawBytes / MiB));
        report.Add(Figure.Compared(6, "autoscaler (`reuseq up`, 1 environment at zero)", autoscalerBytes / MiB, "MiB", "raw AMQP server process", rawBytes / MiB));
    }

    private async Task<long> MeasureAutoscalerAsync()
    {
        var environment = context.NewEnvironment("up");
        var workDirectory = Directory.CreateTempSubdirectory($"bench-{context.RunId}-up-");
        try
        {
            var configPath = Path.Combine(workDirectory.FullName, "autoscaler.yaml");
            await File.WriteAllTextAsync(configPath, $"""
                redis:
                  key_prefix: "bench-{context.RunId}-up:"
                autoscaler:
                  driver: process
                  tick_interval: 1s
                environments:
                  - name: {environment}
                    command: ["dotnet", "{BenchContext.WorkerAssemblyPath}"]
                    replicas: [0, 1]
                    idle_ttl: 1m

                """);
            var variables = new Dictionary<string, string>(context.Connection.ToEnvironmentVariables())
            {
                ["REUSEQ_STATE_DIR"] = Path.Combine(workDirectory.FullName, "state"),
            };
            variables.Remove("REUSEQ_KEY_PREFIX");
            await using var autoscaler = context.Track(ChildProcess.StartDotnet(
                "reuseq up", BenchContext.CliAssemblyPath, variables, "up", "--config", configPath));
            await autoscaler.WaitForFirstLineAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(IdleWait);
            var bytes = autoscaler.ResidentBytes()
                ?? throw new InvalidOperationException($"`reuseq up` exited before its memory was read:\n{autoscaler.OutputTail}");
            autoscaler.Terminate();
            await autoscaler.WaitForExitAsync(TimeSpan.FromSeconds(30));
            return bytes;
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }
}
