using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

public sealed class ScalingPlannerScaleDownTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ReusePolicy Policy = new()
    {
        Replicas = new ReplicaRange(2, 5),
        ScaledownTtl = TimeSpan.FromSeconds(30),
    };

    private readonly FakeTimeProvider clock = new(T0);

    /// <summary>Starts r-1 to r-5 one second apart, so r-5 is the newest, and leaves the clock at T0 + 4s.</summary>
    private FakeFleet FleetOfFive(ReusePolicy? policy = null)
    {
        var fleet = new FakeFleet(clock, policy ?? Policy);
        for (var i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            fleet.Add();
        }

        return fleet;
    }

    [Fact]
    public void Plan_FiveIdleReplicas_StepDownOnePerTtlToMin()
    {
        var fleet = FleetOfFive();
        clock.Advance(TimeSpan.FromSeconds(36));
        var reasons = new List<string>();

        // Every replica has been idle for the TTL at the first tick; tick every second from T0 + 40s to T0 + 190s.
        for (var second = 40; second <= 190; second++)
        {
            var decision = fleet.Tick();
            if (decision.Stops.Count > 0)
            {
                reasons.Add($"{second}s: {decision.Reason}");
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(
            [
                "40s: scale down 5 -> 4: replica r-5 idle for 36s >= scaledown_ttl 30s",
                "70s: scale down 4 -> 3: replica r-4 idle for 1m7s >= scaledown_ttl 30s",
                "100s: scale down 3 -> 2: replica r-3 idle for 1m38s >= scaledown_ttl 30s",
            ],
            reasons);
        Assert.Equal(["r-1", "r-2"], fleet.Replicas.Select(replica => replica.Id));
    }

    [Fact]
    public void Plan_InsideScaledownWindow_WaitsAndSaysHowLong()
    {
        var fleet = FleetOfFive();
        clock.Advance(TimeSpan.FromSeconds(30));
        fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(12));

        var decision = fleet.Tick();

        Assert.Equal(ScalingAction.Steady, decision.Action);
        Assert.Equal("steady at 4 (target 2): next scale-down in 18s, one per scaledown_ttl 30s", decision.Reason);
        Assert.Empty(decision.Stops);
    }

    [Fact]
    public void Plan_OnlyOldestIdleForTtl_StopsOldest()
    {
        var fleet = FleetOfFive();
        clock.Advance(TimeSpan.FromSeconds(26));

        var decision = fleet.Tick();

        Assert.Equal("scale down 5 -> 4: replica r-1 idle for 30s >= scaledown_ttl 30s", decision.Reason);
    }

    [Fact]
    public void Plan_NoReplicaIdleForTtl_KeepsAll()
    {
        var fleet = FleetOfFive();

        var decision = fleet.Tick();

        Assert.Equal("steady at 5 (target 2): no replica idle for scaledown_ttl 30s", decision.Reason);
    }

    [Fact]
    public void Plan_NewestReplicaBusy_StopsNewestIdleOne()
    {
        var fleet = FleetOfFive();
        fleet["r-5"].InFlight = 1;
        clock.Advance(TimeSpan.FromSeconds(40));

        var decision = fleet.Tick(unacked: 1);

        Assert.Equal("scale down 5 -> 4: replica r-4 idle for 41s >= scaledown_ttl 30s", decision.Reason);
        Assert.Equal([new ReplicaStop("r-4", ReplicaStopReason.ScaleDown, "idle for 41s >= scaledown_ttl 30s")], decision.Stops);
    }

    [Fact]
    public void Plan_RecentlyFinishedTask_ResetsIdleTime()
    {
        var fleet = FleetOfFive();
        clock.Advance(TimeSpan.FromSeconds(40));
        fleet["r-5"].LastTaskFinishedAt = clock.GetUtcNow() - TimeSpan.FromSeconds(10);
        fleet["r-4"].LastTaskFinishedAt = clock.GetUtcNow() - TimeSpan.FromSeconds(29);

        var decision = fleet.Tick();

        Assert.Equal("scale down 5 -> 4: replica r-3 idle for 42s >= scaledown_ttl 30s", decision.Reason);
    }

    [Fact]
    public void Plan_AllReplicasBusy_StopsNone()
    {
        var fleet = FleetOfFive();
        foreach (var replica in fleet.Replicas)
        {
            replica.InFlight = 1;
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        var decision = fleet.Tick(unacked: 5);

        Assert.Equal("steady at 5", decision.Reason);
        Assert.Empty(decision.Stops);
    }

    [Fact]
    public void Plan_DemandStillNeedsReplicas_StopsOnlyDownToNeeded()
    {
        var fleet = FleetOfFive();
        fleet["r-1"].InFlight = 1;
        fleet["r-2"].InFlight = 1;
        fleet["r-3"].InFlight = 1;
        clock.Advance(TimeSpan.FromMinutes(10));

        var first = fleet.Tick(unacked: 3, ready: 1);
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = fleet.Tick(unacked: 3, ready: 1);

        Assert.Equal("scale down 5 -> 4: replica r-5 idle for 10m >= scaledown_ttl 30s", first.Reason);
        Assert.Equal("steady at 4", second.Reason);
    }

    [Fact]
    public void Plan_MaxLoweredBelowLive_TrimsIdleReplicasAtOnce()
    {
        var fleet = FleetOfFive(Policy with { Replicas = new ReplicaRange(1, 3) });
        fleet["r-5"].InFlight = 1;

        var decision = fleet.Tick(unacked: 1);

        Assert.Equal(ScalingAction.ScaleDown, decision.Action);
        Assert.Equal("scale down 5 -> 3: above max 3", decision.Reason);
        Assert.Equal(["r-4", "r-3"], decision.Stops.Select(stop => stop.ReplicaId));
        Assert.All(decision.Stops, stop => Assert.Equal(ReplicaStopReason.AboveMax, stop.Reason));
    }
}
