using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Core.Scaling;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// An autoscaler running its loop in the test process, logging to the test output and recording every
/// decision with its time. Stopping or disposing it leaves the replicas running, as a real autoscaler does.
/// </summary>
public sealed class RunningAutoscaler : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(DateTime At, string Environment, ScalingDecision Decision)> _timeline = new();
    private Task _loop = Task.CompletedTask;

    private RunningAutoscaler(AutoscalerInstance instance, ILoggerFactory loggerFactory)
    {
        Instance = instance;
        _loggerFactory = loggerFactory;
        instance.Loop.Decided += (environment, decision) => _timeline.Enqueue((DateTime.UtcNow, environment, decision));
    }

    public AutoscalerInstance Instance { get; }

    /// <summary>Every decision so far, oldest first.</summary>
    public IReadOnlyList<ScalingDecision> Decisions => _timeline.Select(entry => entry.Decision).ToList();

    /// <summary>The decisions for one environment, oldest first, with the UTC time of each.</summary>
    public IReadOnlyList<(DateTime At, ScalingDecision Decision)> DecisionsFor(string environment) =>
        _timeline.Where(entry => entry.Environment == environment).Select(entry => (entry.At, entry.Decision)).ToList();

    public static async Task<RunningAutoscaler> StartAsync(string configPath, ITestOutputHelper output, string? stateDirectory = null)
    {
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new TestOutputLoggerProvider(output)));
        var instance = await AutoscalerInstance.CreateAsync(configPath, loggerFactory, TimeProvider.System, stateDirectory);
        var running = new RunningAutoscaler(instance, loggerFactory);
        running._loop = instance.Loop.RunAsync(running._stop.Token);
        return running;
    }

    /// <summary>Stops the loop; the replicas keep running.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    /// <summary>Stops the loop, then stops (kills) every replica the driver lists.</summary>
    public async Task StopWithReplicasAsync()
    {
        await StopAsync();
        foreach (var replica in await Instance.Driver.ListAsync(CancellationToken.None))
        {
            await Instance.Driver.RemoveAsync(replica, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Instance.DisposeAsync();
        _loggerFactory.Dispose();
        _stop.Dispose();
    }
}
