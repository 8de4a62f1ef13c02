using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Core.Scaling;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// An autoscaler running in the test process over one test environment, with process replicas, every
/// decision recorded with its time, and a <see cref="PoolSampler"/>. Disposing stops the loop and
/// removes every replica it left running.
/// </summary>
public sealed class AutoscalerRun : IAsyncDisposable
{
    private readonly RunningAutoscaler _running;
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly string _environment;
    private readonly TemporaryDirectory _workDirectory;
    private Task _sampling = Task.CompletedTask;

    private AutoscalerRun(RunningAutoscaler running, string environment, TemporaryDirectory workDirectory)
    {
        _running = running;
        _environment = environment;
        _workDirectory = workDirectory;
        Pool = new PoolSampler(running.Instance.Driver, environment);
    }

    public AutoscalerInstance Instance => _running.Instance;

    public PoolSampler Pool { get; }

    /// <summary>The decisions for the test environment so far, oldest first, with the UTC time of each.</summary>
    public IReadOnlyList<(DateTime At, ScalingDecision Decision)> Decisions => _running.DecisionsFor(_environment);

    /// <summary>
    /// Writes a config file for <paramref name="environment"/> with <see cref="TestConfig.ProcessDriver"/>
    /// and starts the loop on it.
    /// </summary>
    /// <param name="policy">The environment's policy lines in YAML, e.g. <c>replicas: 1</c> and <c>concurrency: 1</c>.</param>
    public static async Task<AutoscalerRun> StartAsync(
        TestEnvironment environment, TemporaryDirectory workDirectory, ITestOutputHelper output, params string[] policy)
    {
        var configPath = workDirectory.Write("autoscaler.yaml", TestConfig.ProcessDriver(environment, policy));
        var running = await RunningAutoscaler.StartAsync(configPath, output, workDirectory.Path("replicas"));
        var run = new AutoscalerRun(running, environment.Name, workDirectory);
        run._sampling = run.Pool.RunAsync(run._stopSampling.Token);
        return run;
    }

    /// <summary>The environment's replicas whose process runs, as the driver lists them.</summary>
    public async Task<IReadOnlyList<ManagedReplica>> RunningReplicasAsync() =>
        (await Instance.Driver.ListAsync(CancellationToken.None))
            .Where(replica => replica.Environment == _environment && replica.IsRunning)
            .OrderBy(replica => replica.ReplicaId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Writes the log file of every replica the driver started to the test output, for a failure's evidence.</summary>
    public void WriteReplicaLogs(ITestOutputHelper output)
    {
        foreach (var log in Directory.EnumerateFiles(_workDirectory.Path("replicas"), "*.log", SearchOption.AllDirectories).Order())
        {
            output.WriteLine($"--- {Path.GetFileName(log)}");
            output.WriteLine(File.ReadAllText(log));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSampling.CancelAsync();
        await _sampling;
        await _running.StopWithReplicasAsync();
        await _running.DisposeAsync();
        _stopSampling.Dispose();
    }
}
