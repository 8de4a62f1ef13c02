using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

public sealed class ScalingPlannerScaleUpTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = new(T0);

    [Fact]
    public void Plan_FixedPoolAtSize_KeepsIt()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(3) });
        fleet.Add();
        fleet.Add();
        fleet.Add();

        var decision = fleet.Tick(ready: 50);

        Assert.Equal(ScalingAction.Steady, decision.Action);
        Assert.Equal("steady at 3", decision.Reason);
        Assert.Equal(0, decision.StartCount);
        Assert.Empty(decision.Stops);
    }

    [Fact]
    public void Plan_FixedPoolWithDeadReplica_StopsAndReplacesIt()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(3) });
        fleet.Add();
        fleet.Add();
        fleet.Add();
        fleet.Tick();
        fleet["r-2"].Hung = true;
        clock.Advance(TimeSpan.FromSeconds(6));

        var dead = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));
        var replaced = fleet.Tick();

        Assert.Equal(ScalingAction.Backoff, dead.Action);
        Assert.Equal(
            "crash back-off: 1 crash, next start in 1s (scale up 2 -> 3: fixed pool of 3); r-2 dead: no heartbeat for 6s > heartbeat_timeout 5s",
            dead.Reason);
        var stop = Assert.Single(dead.Stops);
        Assert.Equal(new ReplicaStop("r-2", ReplicaStopReason.Dead, "dead: no heartbeat for 6s > heartbeat_timeout 5s"), stop);
        Assert.Equal(0, dead.StartCount);
        Assert.Equal(ScalingAction.ScaleUp, replaced.Action);
        Assert.Equal("scale up 2 -> 3: fixed pool of 3; 1 crash since the last stable replica", replaced.Reason);
        Assert.Equal(1, replaced.StartCount);
        Assert.Equal(["r-1", "r-3", "r-4"], fleet.Replicas.Select(replica => replica.Id));
    }

    [Fact]
    public void Plan_FixedPoolIdleForever_IsNeverScaledDown()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(3), ScaledownTtl = TimeSpan.FromSeconds(30) });
        fleet.Tick();

        for (var minute = 0; minute < 10; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("steady at 3", fleet.Tick().Reason);
        }

        Assert.Equal(3, fleet.Replicas.Count);
    }

    public static TheoryData<long, long, int, string> RisingDemand => new()
    {
        { 0, 0, 2, "steady at 2" },
        { 3, 0, 2, "steady at 2" },
        { 7, 1, 4, "scale up 2 -> 4: 7 ready + 1 unacked at concurrency 2" },
        { 9, 0, 5, "scale up 2 -> 5: 9 ready + 0 unacked at concurrency 2" },
        { 40, 6, 5, "scale up 2 -> 5: 40 ready + 6 unacked at concurrency 2, capped at max 5" },
    };

    [Theory]
    [MemberData(nameof(RisingDemand))]
    public void Plan_RangeWithDemand_ScalesUpOnFirstTickUpToMax(long ready, long unacked, int expectedLive, string expectedReason)
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = new ReplicaRange(2, 5), Concurrency = 2 });
        fleet.Add();
        fleet.Add();

        var decision = fleet.Tick(ready, unacked);

        Assert.Equal(expectedReason, decision.Reason);
        Assert.Equal(expectedLive, decision.TargetReplicas);
        Assert.Equal(expectedLive - 2, decision.StartCount);
        Assert.Equal(expectedLive, fleet.Replicas.Count);
    }

    [Fact]
    public void Plan_StartingReplicas_CountAsLive()
    {
        var replicas = new[]
        {
            new ReplicaObservation { Id = "r-1", StartedAt = T0 - TimeSpan.FromMinutes(5), LastBeatAt = T0 },
            new ReplicaObservation { Id = "r-2", StartedAt = T0 - TimeSpan.FromMinutes(5), LastBeatAt = T0 },
            new ReplicaObservation { Id = "r-3", StartedAt = T0 - TimeSpan.FromSeconds(1) },
            new ReplicaObservation { Id = "r-4", StartedAt = T0 - TimeSpan.FromSeconds(1) },
        };

        var decision = new ScalingPlanner().Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = new ReplicaRange(2, 5), Concurrency = 2 },
            Queue = QueueObservation.Of(8, 0),
            Replicas = replicas,
            Now = T0,
        });

        Assert.Equal(ObservedReplicaState.Starting, replicas[3].State);
        Assert.Equal("steady at 4", decision.Reason);
        Assert.Equal(4, decision.LiveReplicas);
        Assert.Equal(0, decision.StartCount);
    }

    [Fact]
    public void Plan_DrainingReplica_IsNotLiveAndNotStoppedAgain()
    {
        var planner = new ScalingPlanner();
        var replicas = new[]
        {
            new ReplicaObservation { Id = "r-1", StartedAt = T0, LastBeatAt = T0 },
            new ReplicaObservation { Id = "r-2", StartedAt = T0, LastBeatAt = T0 },
            new ReplicaObservation { Id = "r-3", StartedAt = T0, LastBeatAt = T0 - TimeSpan.FromMinutes(1), InFlight = 1, IsDraining = true },
        };

        var decision = planner.Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = ReplicaRange.Fixed(3) },
            Queue = QueueObservation.Of(0, 1),
            Replicas = replicas,
            Now = T0,
        });

        Assert.Equal(ObservedReplicaState.Draining, replicas[2].State);
        Assert.Equal("scale up 2 -> 3: fixed pool of 3", decision.Reason);
        Assert.Equal(2, decision.LiveReplicas);
        Assert.Equal(1, decision.StartCount);
        Assert.Empty(decision.Stops);
    }

    public static TheoryData<int, int, int, long, int, string> ColdStarts => new()
    {
        { 0, 5, 2, 3, 2, "cold start 0 -> 2: 3 ready + 0 unacked at concurrency 2" },
        { 0, 5, 2, 1, 1, "cold start 0 -> 1: 1 ready + 0 unacked at concurrency 2" },
        { 3, 5, 2, 1, 3, "cold start 0 -> 3: 1 ready + 0 unacked at concurrency 2, raised to min 3" },
        { 0, 4, 1, 9, 4, "cold start 0 -> 4: 9 ready + 0 unacked at concurrency 1, capped at max 4" },
        { 2, 2, 1, 1, 2, "cold start 0 -> 2: fixed pool of 2" },
    };

    [Theory]
    [MemberData(nameof(ColdStarts))]
    public void Plan_EnvironmentAtZeroWithMessage_StartsClampOfNeeded(int min, int max, int concurrency, long ready, int expected, string reason)
    {
        var planner = new ScalingPlanner();
        var idleState = new PlannerState { LastBusyAt = T0 - TimeSpan.FromHours(1) };

        var decision = planner.Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = new ReplicaRange(min, max), Concurrency = concurrency, IdleTtl = TimeSpan.FromMinutes(5) },
            Queue = QueueObservation.Of(ready, 0),
            State = idleState,
            Now = T0,
        });

        Assert.Equal(ScalingAction.ColdStart, decision.Action);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(expected, decision.StartCount);
        Assert.Equal(T0, decision.State.LastBusyAt);
    }
}
