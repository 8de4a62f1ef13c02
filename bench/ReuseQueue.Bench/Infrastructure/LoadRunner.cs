using System.Diagnostics;

namespace ReuseQueue.Bench.Infrastructure;

/// <summary>Drives a request function one call after another, or with a fixed number of calls in flight.</summary>
public static class LoadRunner
{
    /// <summary>Makes <paramref name="warmup"/> unmeasured calls, then <paramref name="calls"/> measured ones, one after another.</summary>
    public static async Task<LatencyStats> SequentialAsync(Func<Task> call, int warmup, int calls)
    {
        for (var i = 0; i < warmup; i++)
        {
            await call();
        }

        var latencies = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return LatencyStats.Of(latencies);
    }

    /// <summary>
    /// Keeps <paramref name="inFlight"/> calls running for <paramref name="warmup"/> and then for
    /// <paramref name="window"/>, and returns the calls per second that completed within the window.
    /// </summary>
    public static async Task<double> PipelinedAsync(Func<Task> call, int inFlight, TimeSpan warmup, TimeSpan window)
    {
        long completed = 0;
        var measuring = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await call();
                if (Volatile.Read(ref measuring) == 1)
                {
                    Interlocked.Increment(ref completed);
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, 1);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(window);
        Volatile.Write(ref measuring, 0);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var count = Interlocked.Read(ref completed);
        await stop.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        return count / elapsed.TotalSeconds;
    }
}
