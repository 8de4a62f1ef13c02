using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

public sealed class ScalingPlannerIdleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReusePolicy Policy = new()
    {
        Replicas = new ReplicaRange(2, 5),
        ScaledownTtl = TimeSpan.FromSeconds(30),
        IdleTtl = TimeSpan.FromMinutes(5),
    };

    private readonly FakeTimeProvider clock = new(T0);

    [Fact]
    public void Plan_NoWorkForIdleTtl_StopsEveryReplicaMinIncluded()
    {
        var fleet = new FakeFleet(clock, Policy);
        fleet.Add();
        fleet.Add();
        fleet.Tick();
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var before = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));

        var decision = fleet.Tick();

        Assert.Equal("steady at 2", before.Reason);
        Assert.Equal(ScalingAction.ScaleToZero, decision.Action);
        Assert.Equal("scale to zero 2 -> 0: no ready, unacked or in-flight task for 5m >= idle_ttl 5m", decision.Reason);
        Assert.Equal(["r-1", "r-2"], decision.Stops.Select(stop => stop.ReplicaId));
        Assert.All(decision.Stops, stop => Assert.Equal(ReplicaStopReason.Idle, stop.Reason));
        Assert.Equal(0, decision.TargetReplicas);
        Assert.Empty(fleet.Replicas);
    }

    [Fact]
    public void Plan_IdleEnvironmentAtZero_StaysAtZeroUntilDemand()
    {
        var fleet = new FakeFleet(clock, Policy);
        fleet.Add();
        fleet.Add();
        fleet.Tick();
        clock.Advance(TimeSpan.FromMinutes(5));
        fleet.Tick();
        clock.Advance(TimeSpan.FromMinutes(10));

        var idle = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));
        var coldStart = fleet.Tick(ready: 1);

        Assert.Equal(ScalingAction.ScaleToZero, idle.Action);
        Assert.Equal("idle at 0: no ready, unacked or in-flight task for 15m >= idle_ttl 5m", idle.Reason);
        Assert.Equal(0, idle.StartCount);
        Assert.Equal(ScalingAction.ColdStart, coldStart.Action);
        Assert.Equal("cold start 0 -> 2: 1 ready + 0 unacked at concurrency 1, raised to min 2", coldStart.Reason);
        Assert.Equal(2, coldStart.StartCount);
    }

    [Fact]
    public void Plan_InFlightTaskOnly_KeepsEnvironmentBusy()
    {
        var fleet = new FakeFleet(clock, Policy);
        fleet.Add();
        fleet.Add().InFlight = 1;
        fleet.Tick();
        clock.Advance(TimeSpan.FromMinutes(30));

        var decision = fleet.Tick();

        Assert.Equal("steady at 2", decision.Reason);
        Assert.Equal(clock.GetUtcNow(), decision.State.LastBusyAt);
    }

    [Fact]
    public void Plan_IdleTtlNull_NeverStopsTheEnvironment()
    {
        var fleet = new FakeFleet(clock, Policy with { IdleTtl = null });
        fleet.Add();
        fleet.Add();

        for (var hour = 0; hour < 48; hour++)
        {
            Assert.Equal("steady at 2", fleet.Tick().Reason);
            clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(2, fleet.Replicas.Count);
    }

    [Fact]
    public void Plan_FirstObservation_CountsAsBusy()
    {
        var planner = new ScalingPlanner();

        var decision = planner.Plan(new ScalingInput
        {
            Policy = Policy with { IdleTtl = TimeSpan.FromSeconds(1) },
            Queue = QueueObservation.Of(0, 0),
            Replicas = [new ReplicaObservation { Id = "r-1", StartedAt = T0 - TimeSpan.FromHours(1), LastBeatAt = T0 }],
            Now = T0,
        });

        Assert.Equal(T0, decision.State.LastBusyAt);
        Assert.Equal("scale up 1 -> 2: min 2", decision.Reason);
        Assert.Empty(decision.Stops);
    }
}
