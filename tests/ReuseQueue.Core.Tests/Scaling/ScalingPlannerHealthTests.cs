using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

public sealed class ScalingPlannerHealthTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider clock = new(T0);

    [Fact]
    public void Plan_HeartbeatsUnreadable_StartsAndStopsNothing()
    {
        var planner = new ScalingPlanner();
        var state = new PlannerState { LastBusyAt = T0 - TimeSpan.FromHours(1), LastDecision = "steady at 2" };

        var decision = planner.Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = new ReplicaRange(2, 5), IdleTtl = TimeSpan.FromMinutes(5) },
            Queue = QueueObservation.Of(40, 0),
            Replicas =
            [
                new ReplicaObservation { Id = "r-1", StartedAt = T0 - TimeSpan.FromHours(1) },
                new ReplicaObservation { Id = "r-2", StartedAt = T0 - TimeSpan.FromHours(1) },
            ],
            HeartbeatsReadable = false,
            HeartbeatError = "Redis 127.0.0.1:6379: connection refused",
            State = state,
            Now = T0,
        });

        Assert.Equal(ScalingAction.Hold, decision.Action);
        Assert.Equal("hold: heartbeats unreadable (Redis 127.0.0.1:6379: connection refused)", decision.Reason);
        Assert.Equal(0, decision.StartCount);
        Assert.Empty(decision.Stops);
        Assert.Equal(2, decision.TargetReplicas);
        Assert.Equal("steady at 2", decision.State.LastDecision);
        Assert.Equal(T0, decision.State.LastBusyAt);
    }

    [Fact]
    public void Plan_HeartbeatsUnreadableAtZero_DoesNotColdStart()
    {
        var decision = new ScalingPlanner().Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = new ReplicaRange(0, 5) },
            Queue = QueueObservation.Of(3, 0),
            HeartbeatsReadable = false,
            Now = T0,
        });

        Assert.Equal("hold: heartbeats unreadable (no error given)", decision.Reason);
        Assert.Equal(0, decision.StartCount);
    }

    [Fact]
    public void Plan_QueueUnobservable_Holds()
    {
        var decision = new ScalingPlanner().Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = ReplicaRange.Fixed(3) },
            Queue = QueueObservation.Unavailable("management API returned 503"),
            Replicas = [new ReplicaObservation { Id = "r-1", StartedAt = T0 - TimeSpan.FromHours(1), LastBeatAt = T0 - TimeSpan.FromHours(1) }],
            Now = T0,
        });

        Assert.Equal(ScalingAction.Hold, decision.Action);
        Assert.Equal("hold: queue unobservable (management API returned 503)", decision.Reason);
        Assert.Equal(0, decision.StartCount);
        Assert.Empty(decision.Stops);
    }

    [Fact]
    public void Plan_ReplicaWithoutHeartbeatPastStartTimeout_IsDead()
    {
        var decision = new ScalingPlanner().Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = ReplicaRange.Fixed(1) },
            Queue = QueueObservation.Of(0, 0),
            Replicas =
            [
                new ReplicaObservation { Id = "r-1", StartedAt = T0 - TimeSpan.FromSeconds(61) },
                new ReplicaObservation { Id = "r-2", StartedAt = T0 - TimeSpan.FromSeconds(60) },
            ],
            Now = T0,
        });

        Assert.Equal(
            [new ReplicaStop("r-1", ReplicaStopReason.Dead, "dead: no heartbeat 1m1s after start > start_timeout 1m")],
            decision.Stops);
        Assert.Equal("steady at 1; r-1 dead: no heartbeat 1m1s after start > start_timeout 1m", decision.Reason);
    }

    [Fact]
    public void Plan_HeartbeatKeyExpired_UsesRememberedBeat()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = new ReplicaRange(1, 3) });
        fleet.Add();
        fleet.Add();
        fleet.Tick();
        var planner = new ScalingPlanner();

        // Redis dropped r-2's heartbeat key after it expired, so the observation has no beat at all.
        var decision = planner.Plan(new ScalingInput
        {
            Policy = new ReusePolicy { Replicas = new ReplicaRange(1, 3) },
            Queue = QueueObservation.Of(0, 0),
            Replicas =
            [
                new ReplicaObservation { Id = "r-1", StartedAt = T0, LastBeatAt = T0 + TimeSpan.FromSeconds(6) },
                new ReplicaObservation { Id = "r-2", StartedAt = T0 },
            ],
            State = fleet.State,
            Now = T0 + TimeSpan.FromSeconds(6),
        });

        Assert.Equal([new ReplicaStop("r-2", ReplicaStopReason.Dead, "dead: no heartbeat for 6s > heartbeat_timeout 5s")], decision.Stops);
    }

    [Fact]
    public void Plan_ReplicasCrashOnStart_BackOffGrowsAndIsReported()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(1) }) { CrashOnStart = true };
        var backoffReasons = new List<string>();
        var startTimes = new List<TimeSpan>();

        // Tick every second for a minute; each started replica exits before the next tick.
        for (var second = 0; second <= 60; second++)
        {
            var decision = fleet.Tick();
            if (decision.StartCount > 0)
            {
                startTimes.Add(clock.GetUtcNow() - T0);
            }
            else if (decision.Reason.Contains("exited before it was listed", StringComparison.Ordinal))
            {
                backoffReasons.Add(decision.Reason);
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([0, 2, 5, 10, 19, 36], startTimes.Select(time => (int)time.TotalSeconds));
        Assert.Equal(
            [
                "crash back-off: 1 crash, next start in 1s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
                "crash loop: 2 crashes, next start in 2s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
                "crash loop: 3 crashes, next start in 4s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
                "crash loop: 4 crashes, next start in 8s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
                "crash loop: 5 crashes, next start in 16s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
                "crash loop: 6 crashes, next start in 32s (scale up 0 -> 1: fixed pool of 1); a started replica exited before it was listed",
            ],
            backoffReasons);
        Assert.Equal(6, fleet.State.CrashCount);
    }

    [Fact]
    public void Plan_ReplicaStableAfterCrash_ResetsCrashCount()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(1) }) { CrashOnStart = true };
        fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));
        fleet.Tick();
        fleet.CrashOnStart = false;
        clock.Advance(TimeSpan.FromSeconds(1));
        var restart = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(59));
        var beforeWindow = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));

        var afterWindow = fleet.Tick();

        Assert.Equal("scale up 0 -> 1: fixed pool of 1; 1 crash since the last stable replica", restart.Reason);
        Assert.Equal(1, beforeWindow.State.CrashCount);
        Assert.Equal(0, afterWindow.State.CrashCount);
        Assert.Equal("steady at 1", afterWindow.Reason);
    }

    [Fact]
    public void Plan_ListedReplicaVanishes_CountsAsCrash()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = ReplicaRange.Fixed(2) });
        fleet.Add();
        fleet.Add();
        fleet.Tick();
        fleet["r-2"].Exited = true;
        clock.Advance(TimeSpan.FromSeconds(1));

        var decision = fleet.Tick();

        Assert.Equal(
            "crash back-off: 1 crash, next start in 1s (scale up 1 -> 2: fixed pool of 2); r-2 exited without a stop request",
            decision.Reason);
        Assert.Equal(T0 + TimeSpan.FromSeconds(2), decision.NextStartAt);
        Assert.Equal(1, decision.State.CrashCount);
    }

    [Fact]
    public void Plan_StoppedReplicaExits_IsNoCrash()
    {
        var fleet = new FakeFleet(clock, new ReusePolicy { Replicas = new ReplicaRange(1, 2), ScaledownTtl = TimeSpan.FromSeconds(30) });
        fleet.Add();
        fleet.Add();
        clock.Advance(TimeSpan.FromSeconds(30));
        var scaleDown = fleet.Tick();
        clock.Advance(TimeSpan.FromSeconds(1));

        var next = fleet.Tick();

        Assert.Equal(ScalingAction.ScaleDown, scaleDown.Action);
        Assert.Equal(0, next.State.CrashCount);
        Assert.Equal("steady at 1", next.Reason);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void CrashBackoff_CrashCount_DoublesUpToFiveMinutes(int crashes, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), new ScalingOptions().CrashBackoff(crashes));
    }
}
