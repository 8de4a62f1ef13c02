using ReuseQueue.Core.Scaling;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>
/// Waves of short tasks on a [1, 4] pool: each burst grows the pool, and the trickle after it keeps tasks
/// flowing while idle replicas are stopped. No task may be lost or get two replies across the drains.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ScaleDownUnderLoadTests(ITestOutputHelper output)
{
    private const int Waves = 4;
    private const int BurstSize = 950;
    private const int TrickleSize = 300;
    private const int TaskCount = Waves * (BurstSize + TrickleSize);

    [Fact]
    public async Task Waves_EveryTaskRepliedOnce()
    {
        var seed = Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var environment = new TestEnvironment("waves");
        using var workDirectory = new TemporaryDirectory();
        await using var autoscaler = await AutoscalerRun.StartAsync(
            environment, workDirectory, output,
            "replicas: [1, 4]", "concurrency: 2", "scaledown_ttl: 1s", "idle_ttl: null");
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);
        await WaitFor.ConditionAsync(() => autoscaler.Pool.Current == 1, TimeSpan.FromSeconds(20), "the min replica to start");

        var ids = new List<string>();
        for (var wave = 0; wave < Waves; wave++)
        {
            for (var i = 0; i < BurstSize; i++)
            {
                ids.Add(await counter.PublishAsync(environment.Name, "sleep", $"{{\"milliseconds\":{random.Next(5, 21)}}}"));
            }

            // One task every 20 ms keeps the oldest replica busy while the newer ones go idle and are stopped.
            for (var i = 0; i < TrickleSize; i++)
            {
                ids.Add(await counter.PublishAsync(environment.Name, "sleep", $"{{\"milliseconds\":{random.Next(5, 21)}}}"));
                await Task.Delay(20);
            }
        }

        var publishedAt = DateTime.UtcNow;
        await counter.WaitForAsync(TaskCount, TimeSpan.FromSeconds(60));
        var decisions = autoscaler.Decisions;
        var stops = decisions.SelectMany(entry => entry.Decision.Stops).ToList();
        var started = decisions.Sum(entry => entry.Decision.StartCount);
        await WaitFor.ConditionAsync(
            async () => (await autoscaler.RunningReplicasAsync()).Count == started - stops.Count,
            TimeSpan.FromSeconds(15), "the stopped replicas to exit");

        Assert.Equal(TaskCount, ids.Count);
        Assert.Equal(TaskCount, ids.Distinct().Count());
        Assert.Equal(TaskCount, counter.Replies.Count);
        Assert.All(ids, id => Assert.Equal(1, counter.Replies.GetValueOrDefault(id)));
        Assert.All(ids, id => Assert.True(counter.Results[id].Succeeded, counter.Results[id].Error?.Message));
        Assert.Equal(0u, await environment.ErrorQueueDepthAsync());

        var scaleDowns = decisions.Where(entry => entry.Decision.Action == ScalingAction.ScaleDown).ToList();
        var scaleUps = decisions.Where(entry => entry.Decision.Action == ScalingAction.ScaleUp && entry.Decision.StartCount > 0).ToList();
        output.WriteLine($"max pool {autoscaler.Pool.Maximum}, {started} started, {stops.Count} stopped, " +
                         $"{scaleUps.Count} scale-ups, {scaleDowns.Count} scale-downs");
        Assert.InRange(autoscaler.Pool.Maximum, 2, 4);
        Assert.True(scaleUps.Count >= 2, $"the pool grew {scaleUps.Count} time(s)");
        Assert.True(scaleDowns.Count >= 2, $"the pool stepped down {scaleDowns.Count} time(s)");
        Assert.Contains(scaleDowns, entry => entry.At < publishedAt);
        Assert.All(stops, stop => Assert.Equal(ReplicaStopReason.ScaleDown, stop.Reason));
        Assert.All(scaleDowns, entry => Assert.Single(entry.Decision.Stops));
        Assert.Equal(started, autoscaler.Pool.Seen.Count);
        Assert.Equal(stops.Count, stops.Select(stop => stop.ReplicaId).Distinct().Count());
        Assert.Equal(started - stops.Count, (await autoscaler.RunningReplicasAsync()).Count);
    }
}
