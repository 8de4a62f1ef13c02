using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Core.Scaling;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>An in-process autoscaler running its loop for a test, recording every decision.</summary>
public sealed class RunningAutoscaler : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private RunningAutoscaler(AutoscalerInstance instance, ILoggerFactory loggerFactory)
    {
        Instance = instance;
        _loggerFactory = loggerFactory;
        instance.Loop.Decided += (_, decision) => Decisions.Enqueue(decision);
    }

    public AutoscalerInstance Instance { get; }

    public ConcurrentQueue<ScalingDecision> Decisions { get; } = new();

    public static async Task<RunningAutoscaler> StartAsync(string configPath, ITestOutputHelper output, string? stateDirectory = null)
    {
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new TestOutputLoggerProvider(output)));
        var instance = await AutoscalerInstance.CreateAsync(configPath, loggerFactory, TimeProvider.System, stateDirectory);
        var running = new RunningAutoscaler(instance, loggerFactory);
        running._loop = instance.Loop.RunAsync(running._stop.Token);
        return running;
    }

    /// <summary>Stops the loop; the replicas keep running, as after a real autoscaler stops.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
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
