using ReuseQueue.Core.Configuration;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Core.Scaling;

/// <summary>
/// Decides how many replicas an environment should start and which to stop. <see cref="Plan"/> is a pure
/// function of its input: it reads no clock and does no I/O, so the same input gives the same decision.
/// </summary>
/// <remarks>
/// With <c>demand = ready + unacked</c> and <c>needed = ceil(demand / concurrency)</c>:
/// a fixed pool of N keeps N live replicas; a range keeps <c>clamp(needed, min, max)</c>, scaling up on the
/// first tick that observes the demand. A replica is stopped to scale down only when it has run no task for the
/// scaledown TTL, at most one per scaledown TTL, newest first and never below the target. After the idle TTL
/// without any ready, unacked or in-flight task every replica stops, and the environment stays at zero until
/// demand appears. Dead replicas are stopped and replaced, with an exponential back-off after crashes.
/// When the heartbeats or the queue cannot be read the planner holds and starts and stops nothing.
/// </remarks>
public sealed class ScalingPlanner
{
    /// <summary>Creates a planner with <paramref name="options"/>, or the defaults when null.</summary>
    public ScalingPlanner(ScalingOptions? options = null)
    {
        Options = options ?? new ScalingOptions();
    }

    /// <summary>The autoscaler-wide limits.</summary>
    public ScalingOptions Options { get; }

    /// <summary>Decides what to start and stop for one environment at <see cref="ScalingInput.Now"/>.</summary>
    public ScalingDecision Plan(ScalingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.HeartbeatsReadable)
        {
            return Hold(input, $"heartbeats unreadable ({input.HeartbeatError ?? "no error given"})");
        }

        if (!input.Queue.IsObserved)
        {
            return Hold(input, $"queue unobservable ({input.Queue.Error ?? "no error given"})");
        }

        var now = input.Now;
        var policy = input.Policy;
        var state = input.State;
        var replicas = ReplicaAssessment.Assess(input.Replicas, state, now, Options);
        var (crashCount, lastCrashAt) = CountCrashes(state, replicas, now);
        DateTimeOffset? nextStartAt = lastCrashAt is { } crashAt && crashCount > 0 ? crashAt + Options.CrashBackoff(crashCount) : null;

        var demand = input.Queue.Demand;
        var inFlight = replicas.Live.Concat(replicas.GoingAway).Sum(replica => (long)replica.InFlight);
        var isBusy = demand > 0 || inFlight > 0;
        var lastBusyAt = isBusy || state.LastBusyAt is null ? now : state.LastBusyAt.Value;

        var plan = new PlanDraft(replicas.Live.Count, replicas.Dead);
        if (policy.IdleTtl is { } idleTtl && !isBusy && now - lastBusyAt >= idleTtl)
        {
            PlanScaleToZero(plan, replicas, now - lastBusyAt, idleTtl);
        }
        else
        {
            var needed = (int)Math.Min(int.MaxValue, (demand + Math.Max(policy.Concurrency, 1) - 1) / Math.Max(policy.Concurrency, 1));
            plan.Target = Target(policy.Replicas, needed, plan.Live, demand);
            if (plan.Live < plan.Target)
            {
                PlanScaleUp(plan, input, needed, crashCount, nextStartAt);
            }
            else if (plan.Live > plan.Target)
            {
                PlanScaleDown(plan, policy, replicas, state, now);
            }
            else
            {
                plan.Headline = $"steady at {plan.Live}";
            }
        }

        var reason = string.Join("; ", new[] { plan.Headline }.Concat(plan.Notes).Concat(replicas.Crashes));
        foreach (var stop in plan.Stops)
        {
            replicas.Memory[stop.ReplicaId] = replicas.Memory[stop.ReplicaId] with { StopRequested = true };
        }

        var nextState = new PlannerState
        {
            LastScaleDownAt = plan.ScaledDown ? now : state.LastScaleDownAt,
            LastBusyAt = lastBusyAt,
            CrashCount = crashCount,
            LastCrashAt = lastCrashAt,
            PendingStarts = plan.StartCount,
            LastDecision = reason,
            Replicas = replicas.Memory,
        };
        return new ScalingDecision
        {
            Action = plan.Action,
            Reason = reason,
            LiveReplicas = plan.Live,
            TargetReplicas = plan.Target,
            StartCount = plan.StartCount,
            Stops = plan.Stops,
            NextStartAt = nextStartAt > now ? nextStartAt : null,
            State = nextState,
        };
    }

    private static int Target(ReplicaRange range, int needed, int live, long demand)
    {
        if (range.IsFixed)
        {
            return range.Max;
        }

        // An environment at zero that receives work needs at least one replica, even with min 0.
        return live == 0 && demand > 0
            ? Math.Min(Math.Max(needed, Math.Max(range.Min, 1)), range.Max)
            : range.Clamp(needed);
    }

    private (int CrashCount, DateTimeOffset? LastCrashAt) CountCrashes(PlannerState state, ReplicaAssessment replicas, DateTimeOffset now)
    {
        var crashCount = state.CrashCount;
        var lastCrashAt = state.LastCrashAt;

        if (crashCount > 0 && lastCrashAt is { } since && replicas.Live.Any(replica =>
                replica.HasHeartbeat && replica.StartedAt >= since && now - replica.StartedAt >= Options.StabilityWindow))
        {
            crashCount = 0;
        }

        if (replicas.CrashCount > 0)
        {
            crashCount += replicas.CrashCount;
            lastCrashAt = now;
        }

        return (crashCount, lastCrashAt);
    }

    private static void PlanScaleToZero(PlanDraft plan, ReplicaAssessment replicas, TimeSpan idleFor, TimeSpan idleTtl)
    {
        var detail = $"no ready, unacked or in-flight task for {DurationText.Format(idleFor)} >= idle_ttl {DurationText.Format(idleTtl)}";
        plan.Target = 0;
        plan.Action = ScalingAction.ScaleToZero;
        plan.Headline = plan.Live > 0 ? $"scale to zero {plan.Live} -> 0: {detail}" : $"idle at 0: {detail}";
        plan.Stops.AddRange(replicas.Live.Select(replica => new ReplicaStop(replica.Id, ReplicaStopReason.Idle, "environment idle: " + detail)));
    }

    private static void PlanScaleUp(PlanDraft plan, ScalingInput input, int needed, int crashCount, DateTimeOffset? nextStartAt)
    {
        var range = input.Policy.Replicas;
        var queue = input.Queue;
        var isColdStart = plan.Live == 0 && queue.Demand > 0;
        string cause;
        if (range.IsFixed)
        {
            cause = $"fixed pool of {range.Max}";
        }
        else if (queue.Demand == 0)
        {
            cause = $"min {range.Min}";
        }
        else
        {
            cause = $"{queue.Ready} ready + {queue.Unacked} unacked at concurrency {input.Policy.Concurrency}";
            if (plan.Target > needed)
            {
                cause += $", raised to min {Math.Max(range.Min, 1)}";
            }
            else if (plan.Target < needed)
            {
                cause += $", capped at max {range.Max}";
            }
        }

        var change = $"{plan.Live} -> {plan.Target}: {cause}";
        if (nextStartAt is { } startAt && startAt > input.Now)
        {
            plan.Action = ScalingAction.Backoff;
            plan.Headline = $"{(crashCount > 1 ? "crash loop" : "crash back-off")}: {Count(crashCount, "crash", "crashes")}, "
                + $"next start in {DurationText.Format(startAt - input.Now)} "
                + $"({(isColdStart ? "cold start" : "scale up")} {change})";
            return;
        }

        plan.Action = isColdStart ? ScalingAction.ColdStart : ScalingAction.ScaleUp;
        plan.Headline = (isColdStart ? "cold start " : "scale up ") + change;
        plan.StartCount = plan.Target - plan.Live;
        if (crashCount > 0)
        {
            plan.Notes.Add($"{Count(crashCount, "crash", "crashes")} since the last stable replica");
        }
    }

    private static void PlanScaleDown(PlanDraft plan, ReusePolicy policy, ReplicaAssessment replicas, PlannerState state, DateTimeOffset now)
    {
        var range = policy.Replicas;
        var newestFirst = replicas.Live
            .OrderByDescending(replica => replica.StartedAt)
            .ThenByDescending(replica => replica.Id, StringComparer.Ordinal)
            .ToList();

        if (plan.Live > range.Max)
        {
            // The config lowered max, or the driver adopted extra replicas: trim at once, but never a busy replica.
            var limit = range.IsFixed ? $"fixed pool of {range.Max}" : $"max {range.Max}";
            var surplus = newestFirst.Where(replica => replica.InFlight == 0).Take(plan.Live - range.Max).ToList();
            if (surplus.Count == 0)
            {
                plan.Headline = $"steady at {plan.Live} (above {limit}): every replica is busy";
                return;
            }

            plan.Action = ScalingAction.ScaleDown;
            plan.Headline = $"scale down {plan.Live} -> {plan.Live - surplus.Count}: above {limit}";
            plan.Stops.AddRange(surplus.Select(replica => new ReplicaStop(replica.Id, ReplicaStopReason.AboveMax, $"above {limit}")));
            return;
        }

        var ttl = policy.ScaledownTtl;
        var ttlText = DurationText.Format(ttl);
        if (state.LastScaleDownAt is { } lastScaleDownAt && now - lastScaleDownAt < ttl)
        {
            var wait = DurationText.Format(lastScaleDownAt + ttl - now);
            plan.Headline = $"steady at {plan.Live} (target {plan.Target}): next scale-down in {wait}, one per scaledown_ttl {ttlText}";
            return;
        }

        var idle = newestFirst.FirstOrDefault(replica => replica.HasHeartbeat && replica.InFlight == 0 && now - replica.IdleSince >= ttl);
        if (idle is null)
        {
            plan.Headline = $"steady at {plan.Live} (target {plan.Target}): no replica idle for scaledown_ttl {ttlText}";
            return;
        }

        var detail = $"idle for {DurationText.Format(now - idle.IdleSince)} >= scaledown_ttl {ttlText}";
        plan.Action = ScalingAction.ScaleDown;
        plan.Headline = $"scale down {plan.Live} -> {plan.Live - 1}: replica {idle.Id} {detail}";
        plan.Stops.Add(new ReplicaStop(idle.Id, ReplicaStopReason.ScaleDown, detail));
        plan.ScaledDown = true;
    }

    private static ScalingDecision Hold(ScalingInput input, string cause)
    {
        var live = input.Replicas.Count(replica => !replica.IsDraining);

        // An outage hides whether the environment had work, so it counts as busy: an idle TTL never expires on missing data.
        var state = input.State with { LastBusyAt = input.Now };
        return new ScalingDecision
        {
            Action = ScalingAction.Hold,
            Reason = $"hold: {cause}",
            LiveReplicas = live,
            TargetReplicas = live,
            State = state,
        };
    }

    private static string Count(int count, string singular, string plural) => $"{count} {(count == 1 ? singular : plural)}";

    /// <summary>The decision of one tick while it is being built.</summary>
    private sealed class PlanDraft(int live, IEnumerable<ReplicaStop> deadStops)
    {
        public int Live { get; } = live;

        public int Target { get; set; } = live;

        public int StartCount { get; set; }

        public List<ReplicaStop> Stops { get; } = [.. deadStops];

        public ScalingAction Action { get; set; } = ScalingAction.Steady;

        public string Headline { get; set; } = "";

        public List<string> Notes { get; } = [];

        public bool ScaledDown { get; set; }
    }
}
