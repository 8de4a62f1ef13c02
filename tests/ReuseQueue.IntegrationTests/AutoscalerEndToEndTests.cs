using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReuseQueue.Autoscaler.Control;
using ReuseQueue.Core.Scaling;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests;

/// <summary>
/// The autoscaler with the real broker, Redis and process replicas: a burst grows the pool to max,
/// the pool steps down one replica per scaledown TTL, goes to zero after the idle TTL, and a new
/// task starts it again.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class AutoscalerEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScaledownTtl = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleTtl = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Burst_OnOneToFourPool_GrowsStepsDownGoesToZeroAndRestarts()
    {
        await using var environment = new TestEnvironment("scale");
        using var workDirectory = new TemporaryDirectory();
        await using var run = await AutoscalerRun.StartAsync(environment, workDirectory, output,
            "replicas: [1, 4]", "concurrency: 2", "scaledown_ttl: 3s", "idle_ttl: 8s");
        var pool = run.Pool;
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);

        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":500}"));
        }

        await counter.WaitForAsync(40, TimeSpan.FromSeconds(90));
        var burstDoneAt = DateTime.UtcNow;
        await WaitFor.ConditionAsync(() => run.Decisions.Any(entry => entry.Decision.Action == ScalingAction.ScaleToZero), TimeSpan.FromSeconds(60), "the pool to go to zero");
        await WaitFor.ConditionAsync(() => pool.Current == 0, TimeSpan.FromSeconds(30), "every replica to exit");

        Assert.Equal(4, pool.Maximum);
        Assert.All(ids, id => Assert.Equal(1, counter.Replies.GetValueOrDefault(id)));
        Assert.All(ids, id => Assert.True(counter.Results[id].Succeeded, counter.Results[id].Error?.Message));
        var stepDowns = run.Decisions.Where(entry => entry.Decision.Action == ScalingAction.ScaleDown).ToList();
        // The pool steps down one replica per scaledown TTL from 4, so with a 3 s TTL the steps are due
        // about 3, 6 and 9 s after the burst. The 8 s idle TTL takes the pool to zero before the third
        // step is due, unless replicas went idle early, during the burst's tail.
        var sizes = stepDowns.Select(entry => entry.Decision.LiveReplicas).ToList();
        Assert.InRange(sizes.Count, 2, 3);
        Assert.Equal(Enumerable.Range(0, sizes.Count).Select(step => 4 - step), sizes);
        Assert.All(stepDowns, entry => Assert.Single(entry.Decision.Stops));
        for (var i = 1; i < stepDowns.Count; i++)
        {
            var gap = stepDowns[i].At - stepDowns[i - 1].At;
            Assert.True(gap >= ScaledownTtl - TimeSpan.FromMilliseconds(50), $"step {i} came {gap} after the previous one");
        }

        var zeroAt = run.Decisions.First(entry => entry.Decision.Action == ScalingAction.ScaleToZero).At;
        Assert.True(zeroAt - burstDoneAt >= IdleTtl - TimeSpan.FromSeconds(1), $"went to zero {zeroAt - burstDoneAt} after the burst");

        var again = await counter.PublishAsync(environment.Name, "square", "{\"value\":6}");
        await counter.WaitForAsync(41, TimeSpan.FromSeconds(60));
        Assert.Equal(36, counter.Results[again].Output!.Value.GetInt64());
        Assert.Contains(run.Decisions, entry => entry.Decision.Action == ScalingAction.ColdStart && entry.At > zeroAt);
    }
}
