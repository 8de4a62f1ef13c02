using System.Text.Json;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;
using ReuseQueue.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>
/// A replica killed with SIGKILL while it runs a task: the broker requeues the unacknowledged task, the
/// autoscaler replaces the replica, and the caller gets exactly one reply, from the new replica.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ReplicaKilledMidTaskTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KilledMidTask_RerunsOnceOnReplacement()
    {
        await using var environment = new TestEnvironment("killed");
        using var workDirectory = new TemporaryDirectory();
        await using var autoscaler = await AutoscalerRun.StartAsync(
            environment, workDirectory, output, "replicas: 1", "concurrency: 1");
        var redis = await environment.RedisAsync();
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);

        await WaitFor.ConditionAsync(
            async () => (await autoscaler.RunningReplicasAsync()).Count == 1, TimeSpan.FromSeconds(20), "the first replica to start");
        var victim = (await autoscaler.RunningReplicasAsync()).Single();
        var heartbeatKey = environment.Keys.Heartbeat(environment.Name, victim.ReplicaId);
        var executionId = await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":3000}");
        await WaitFor.ConditionAsync(
            async () => await redis.StringGetAsync(heartbeatKey) is { HasValue: true } beat
                        && JsonSerializer.Deserialize<ReplicaHeartbeat>(beat.ToString(), WireJson.Options)!.InFlight == 1,
            TimeSpan.FromSeconds(30), $"replica {victim.ReplicaId} to report the task in flight");

        PosixSignal.Send(int.Parse(victim.RuntimeId), PosixSignal.Kill);
        var killedAt = DateTime.UtcNow;
        await counter.WaitForAsync(1, TimeSpan.FromSeconds(40));
        await WaitFor.ConditionAsync(
            async () => (await autoscaler.RunningReplicasAsync()) is [var only] && only.ReplicaId != victim.ReplicaId,
            TimeSpan.FromSeconds(20), "the driver to list exactly one replica, a new one");
        // A second reply, if any, would come from a second run of the 3 s task.
        await Task.Delay(TimeSpan.FromSeconds(4));

        var result = counter.Results[executionId];
        Assert.Equal(1, counter.Replies.GetValueOrDefault(executionId));
        Assert.Single(counter.Replies);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.NotEqual(victim.ReplicaId, result.ReplicaId);

        var replacement = (await autoscaler.RunningReplicasAsync()).Single();
        Assert.Equal(result.ReplicaId, replacement.ReplicaId);
        Assert.Equal(2, autoscaler.Pool.Seen.Count);
        Assert.Contains(victim.ReplicaId, autoscaler.Pool.Seen);
        Assert.Contains(replacement.ReplicaId, autoscaler.Pool.Seen);
        Assert.Equal(1, autoscaler.Pool.Maximum);

        var decisions = autoscaler.Decisions;
        Assert.Equal(2, decisions.Sum(entry => entry.Decision.StartCount));
        Assert.Empty(decisions.SelectMany(entry => entry.Decision.Stops));
        var afterKill = decisions.Where(entry => entry.At >= killedAt).Select(entry => entry.Decision).ToList();
        Assert.Contains(afterKill, decision => decision.Reason.Contains($"{victim.ReplicaId} exited without a stop request"));
        var replacementStart = Assert.Single(afterKill, decision => decision.StartCount > 0);
        // With the requeued task waiting and no replica live, the planner calls the start a cold start.
        Assert.Contains(replacementStart.Action, new[] { ScalingAction.ColdStart, ScalingAction.ScaleUp });
        Assert.Contains(afterKill, decision => decision.Action == ScalingAction.Backoff);
        Assert.Equal(0, replacementStart.LiveReplicas);
        Assert.Equal(1, replacementStart.TargetReplicas);
        Assert.DoesNotContain(await autoscaler.Instance.Driver.ListAsync(CancellationToken.None),
            replica => replica.ReplicaId == victim.ReplicaId);
    }
}
