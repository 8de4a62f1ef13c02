using System.Text.Json;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Contracts;
using ReuseQueue.Core.Scaling;
using ReuseQueue.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Faults;

/// <summary>
/// Redis frozen for 30 s under a fixed pool of 2 that runs long tasks. The autoscaler holds, so no
/// replica is stopped or started during the outage or within one heartbeat timeout after it. The tasks
/// finish, and afterwards heartbeats resume and new tasks run.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task FrozenRedis_PoolKeptAndServing()
    {
        await using var redisServer = await RedisServerProcess.StartAsync();
        await using var environment = new TestEnvironment("outage", connection => connection with { Redis = redisServer.Configuration });
        using var workDirectory = new TemporaryDirectory();
        await using var autoscaler = await AutoscalerRun.StartAsync(
            environment, workDirectory, output, "replicas: 2", "concurrency: 1");
        var redis = await environment.RedisAsync();
        await using var counter = await ReplyCounter.ConnectAsync(environment.Connection);
        await WaitFor.ConditionAsync(
            async () => (await autoscaler.RunningReplicasAsync()).Count == 2
                        && (await HeartbeatsAsync(environment, redis)).Count == 2,
            TimeSpan.FromSeconds(30), "two replicas with heartbeats");
        var before = await autoscaler.RunningReplicasAsync();

        var longTasks = new[]
        {
            await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":20000}"),
            await counter.PublishAsync(environment.Name, "sleep", "{\"milliseconds\":20000}"),
        };
        await WaitFor.ConditionAsync(
            async () => (await HeartbeatsAsync(environment, redis)).Values.Count(beat => beat.InFlight == 1) == 2,
            TimeSpan.FromSeconds(15), "both replicas to report a long task in flight");

        redisServer.Freeze();
        var frozenAt = DateTime.UtcNow;
        await Task.Delay(Outage);
        var repliesDuringOutage = counter.Replies.Count;
        var runningAtEndOfOutage = await autoscaler.RunningReplicasAsync();
        redisServer.Resume();
        var resumedAt = DateTime.UtcNow;
        await Task.Delay(HeartbeatTimeout + TimeSpan.FromSeconds(2));

        var squareId = await counter.PublishAsync(environment.Name, "square", "{\"value\":12}");
        await counter.WaitForAsync(3, TimeSpan.FromSeconds(15));
        var heartbeats = await HeartbeatsAsync(environment, redis);
        var after = await autoscaler.RunningReplicasAsync();
        var decisions = autoscaler.Decisions;
        // A tick whose Redis reads finished just before the freeze may still decide shortly after it.
        var duringOutage = decisions.Where(entry => entry.At > frozenAt + TimeSpan.FromSeconds(1) && entry.At < resumedAt).ToList();
        var fromFreeze = decisions.Where(entry => entry.At >= frozenAt).ToList();
        output.WriteLine($"Redis frozen at {frozenAt:HH:mm:ss.fff} UTC, resumed at {resumedAt:HH:mm:ss.fff} UTC; " +
                         $"{duringOutage.Count} decision(s) during the outage, {fromFreeze.Count} from the freeze on");
        autoscaler.WriteReplicaLogs(output);

        // NOTE: a replica's Redis client was seen needing longer than the heartbeat timeout to write again
        // after Redis resumed (about one run in five before the autoscaler waited twice the timeout after an
        // outage). The cause inside the client is not found, so the freshness checks below may still fail.
        Assert.Equal(2, repliesDuringOutage);
        Assert.Equal(Ids(before), Ids(runningAtEndOfOutage));
        Assert.Equal(Ids(before), Ids(after));
        Assert.Equal(before.Select(replica => replica.RuntimeId).Order(), after.Select(replica => replica.RuntimeId).Order());
        Assert.Equal(Ids(before), autoscaler.Pool.Seen.Order(StringComparer.Ordinal).ToList());
        // The loop usually reports no decision during the outage, because reading the lease fails first.
        // Any decision it does report must be a hold.
        Assert.All(duringOutage, entry => Assert.Equal(ScalingAction.Hold, entry.Decision.Action));
        Assert.All(fromFreeze, entry => Assert.Equal(0, entry.Decision.StartCount));
        Assert.All(fromFreeze, entry => Assert.Empty(entry.Decision.Stops));
        Assert.Contains(fromFreeze, entry => entry.At > resumedAt && entry.Decision.Action == ScalingAction.Steady);

        foreach (var id in longTasks)
        {
            Assert.Equal(1, counter.Replies.GetValueOrDefault(id));
            Assert.True(counter.Results[id].Succeeded, counter.Results[id].Error?.Message);
        }

        Assert.Equal(Ids(before), longTasks.Select(id => counter.Results[id].ReplicaId!).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(1, counter.Replies.GetValueOrDefault(squareId));
        Assert.Equal(144, counter.Results[squareId].Output!.Value.GetInt64());
        Assert.Equal(Ids(before), heartbeats.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.All(heartbeats.Values, beat => Assert.True(beat.BeatAt > resumedAt, $"{beat.ReplicaId} last beat at {beat.BeatAt:O}"));
        Assert.All(heartbeats.Values, beat => Assert.Equal(ReplicaState.Running, beat.State));
    }

    private static List<string> Ids(IEnumerable<ManagedReplica> replicas) =>
        replicas.Select(replica => replica.ReplicaId).Order(StringComparer.Ordinal).ToList();

    private static async Task<Dictionary<string, ReplicaHeartbeat>> HeartbeatsAsync(TestEnvironment environment, IDatabase redis)
    {
        var heartbeats = new Dictionary<string, ReplicaHeartbeat>(StringComparer.Ordinal);
        foreach (var id in await redis.SetMembersAsync(environment.Keys.Replicas(environment.Name)))
        {
            var value = await redis.StringGetAsync(environment.Keys.Heartbeat(environment.Name, id!));
            if (value.HasValue)
            {
                heartbeats[id!] = JsonSerializer.Deserialize<ReplicaHeartbeat>(value.ToString(), WireJson.Options)!;
            }
        }

        return heartbeats;
    }
}
