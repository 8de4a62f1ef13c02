using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Cli.Commands;
using ReuseQueue.Client;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Cli;

/// <summary>One run of the demo: its config, autoscaler, burst, live view and summary.</summary>
internal sealed class DemoRun(int burst, bool useDocker)
{
    private readonly string _environment = $"demo-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly Stopwatch _clock = new();
    private readonly List<string> _events = [];
    private int _peak;
    private TimeSpan? _reachedPeakAt;

    public async Task<int> RunAsync(bool skipServices, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        if (root is null)
        {
            return CliOutput.Error(["the demo needs the repository's example worker: run it as ./reuseq demo from a clone."]);
        }

        string[] services = useDocker ? ["up", "all"] : ["up"];
        if (!skipServices && !await DemoCommand.RunInfraScriptAsync(root, "services.sh", services, cancellationToken))
        {
            return CliOutput.Error(["infra/services.sh up failed; see its output above."]);
        }

        if (useDocker && !await DemoCommand.RunInfraScriptAsync(root, "build-images.sh", ["worker"], cancellationToken))
        {
            return CliOutput.Error(["infra/build-images.sh worker failed; see its output above."]);
        }

        var workerDll = Path.Combine(root, "workers", "ReuseQueue.ExampleWorker", "bin", "Release", "net10.0", "ReuseQueue.ExampleWorker.dll");
        if (!File.Exists(workerDll))
        {
            return CliOutput.Error([$"{workerDll} is missing: build it with `dotnet build workers/ReuseQueue.ExampleWorker -c Release` (./reuseq does this)."]);
        }

        var workDirectory = Directory.CreateTempSubdirectory("reuseq-demo-").FullName;
        var prefix = $"reuseq-demo-{Guid.NewGuid().ToString("N")[..6]}:";
        var configPath = Path.Combine(workDirectory, "demo.yaml");
        await File.WriteAllTextAsync(configPath, DemoConfig.Render(_environment, workerDll, prefix, useDocker), cancellationToken);
        PrintIntroduction(configPath);

        using var loggerFactory = CliLogging.Create(LogLevel.Warning);
        AutoscalerInstance instance;
        try
        {
            instance = await AutoscalerInstance.CreateAsync(
                configPath, loggerFactory, TimeProvider.System, Path.Combine(workDirectory, "replicas"), cancellationToken);
        }
        catch (BrokerConnectionException exception)
        {
            return CliOutput.Error([exception.Message]);
        }

        try
        {
            await using (instance)
            {
                return await RunWithAutoscalerAsync(instance, configPath, cancellationToken);
            }
        }
        finally
        {
            await DemoCleanup.RunAsync(configPath, _environment, workDirectory);
        }
    }

    private async Task<int> RunWithAutoscalerAsync(AutoscalerInstance instance, string configPath, CancellationToken cancellationToken)
    {
        var config = Core.Configuration.ConfigLoader.Load(configPath);
        using var stopAutoscaler = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        instance.Loop.Decided += OnDecided;
        _clock.Start();
        var loop = instance.Loop.RunAsync(stopAutoscaler.Token);

        await using var client = await ReuseQueueClient.ConnectAsync(config.ToConnectionOptions(), "reuseq-demo", cancellationToken: cancellationToken);
        Print($"sending a burst of {burst} tasks of 500 ms to an environment at zero replicas");
        var done = 0;
        var calls = Enumerable.Range(0, burst).Select(async _ =>
        {
            var result = await client.RunAsync<object, object>(_environment, "sleep", new { milliseconds = 500 },
                new RunOptions { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken);
            Interlocked.Increment(ref done);
            return result;
        }).ToList();

        var burstTask = Task.WhenAll(calls);
        var giveUpAt = TimeSpan.FromMinutes(3);
        var finished = false;
        while (_clock.Elapsed < giveUpAt && !cancellationToken.IsCancellationRequested)
        {
            var status = (await instance.Status.ReadAsync(config, cancellationToken)).Environments[0];
            var running = status.Replicas.Count(replica => replica.State != "exited");
            if (running > _peak)
            {
                _peak = running;
                _reachedPeakAt = _clock.Elapsed;
            }

            var states = string.Join(" ", status.Replicas.Select(replica => replica.State switch
            {
                "busy" => "#",
                "idle" => ".",
                "starting" => "+",
                "draining" => "-",
                _ => "x",
            }));
            Print($"replicas {running} [{states,-8}]  queue {status.Queue.Ready,3} ready {status.Queue.Unacked,2} unacked  done {Volatile.Read(ref done)}/{burst}");
            if (burstTask.IsCompleted && running == 0 && status.LastDecision?.Action == nameof(ScalingAction.ScaleToZero))
            {
                finished = true;
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        await stopAutoscaler.CancelAsync();
        await loop;
        foreach (var replica in await instance.Driver.ListAsync(CancellationToken.None))
        {
            await instance.Driver.StopAsync(replica, TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        PrintSummary(burstTask, finished);
        return finished && burstTask.IsCompletedSuccessfully ? ExitCodes.Success : ExitCodes.Failed;
    }

    private void OnDecided(string environment, ScalingDecision decision)
    {
        if (decision.StartCount > 0 || decision.Stops.Count > 0)
        {
            var line = $"decision: {decision.Reason}";
            lock (_events)
            {
                _events.Add($"{_clock.Elapsed.TotalSeconds,5:0.0}s  {decision.Reason}");
            }

            Print(line);
        }
    }

    private void PrintIntroduction(string configPath)
    {
        Console.WriteLine($"ReuseQueue demo: environment '{_environment}', replicas [1, 4], concurrency 2, scaledown_ttl 4s, idle_ttl 10s, " +
                          (useDocker ? "replicas as Docker containers" : "replicas as local processes"));
        Console.WriteLine($"config: {configPath}");
        Console.WriteLine("legend: # busy  . idle  + starting  - draining  x exited");
    }

    private void Print(string line) => Console.WriteLine($"{_clock.Elapsed.TotalSeconds,5:0.0}s  {line}");

    private void PrintSummary(Task<object[]> burstTask, bool finished)
    {
        Console.WriteLine();
        Console.WriteLine("summary");
        Console.WriteLine($"  tasks completed    {(burstTask.IsCompletedSuccessfully ? burstTask.Result.Length : 0)}/{burst}");
        Console.WriteLine($"  peak replicas      {_peak}{(_reachedPeakAt is { } at ? $" (at {at.TotalSeconds:0.0}s)" : string.Empty)}");
        Console.WriteLine($"  back at zero       {(finished ? "yes" : "no: the demo gave up waiting")}");
        Console.WriteLine("  scaling actions");
        lock (_events)
        {
            foreach (var entry in _events)
            {
                Console.WriteLine("    " + entry);
            }
        }
    }
}
