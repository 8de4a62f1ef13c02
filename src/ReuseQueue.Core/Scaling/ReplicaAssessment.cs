using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Core.Scaling;

/// <summary>
/// The observed replicas of one tick sorted into live, going away and dead, with the crashes they show
/// and the memory to keep for the next tick.
/// </summary>
internal sealed class ReplicaAssessment
{
    public List<ReplicaObservation> Live { get; } = [];

    public List<ReplicaObservation> GoingAway { get; } = [];

    public List<ReplicaStop> Dead { get; } = [];

    /// <summary>The crashes seen on this tick, in words, for the decision's reason.</summary>
    public List<string> Crashes { get; } = [];

    /// <summary>The number of crashes seen on this tick; one entry of <see cref="Crashes"/> may stand for several.</summary>
    public int CrashCount { get; private set; }

    public Dictionary<string, ReplicaMemory> Memory { get; } = new(StringComparer.Ordinal);

    public static ReplicaAssessment Assess(
        IReadOnlyList<ReplicaObservation> replicas, PlannerState state, DateTimeOffset now, ScalingOptions options)
    {
        var assessment = new ReplicaAssessment();

        foreach (var replica in replicas)
        {
            var remembered = state.Replicas.GetValueOrDefault(replica.Id);
            var lastBeatAt = Latest(replica.LastBeatAt, remembered?.LastBeatAt);
            var stopRequested = remembered?.StopRequested ?? false;

            if (replica.IsDraining || stopRequested)
            {
                // A replica that is stopping is not live and is not stopped again, even when it stops beating.
                // NOTE: the planner never repeats a stop request, so the driver must retry a stop that failed.
                assessment.GoingAway.Add(replica);
                assessment.Memory[replica.Id] = new(lastBeatAt, stopRequested, replica.IsDraining);
                continue;
            }

            var deathDetail = DeathDetail(replica, lastBeatAt, now, options);
            if (deathDetail is not null)
            {
                assessment.Dead.Add(new(replica.Id, ReplicaStopReason.Dead, deathDetail));
                assessment.AddCrash($"{replica.Id} {deathDetail}");
                assessment.Memory[replica.Id] = new(lastBeatAt, StopRequested: true, WasDraining: false);
                continue;
            }

            assessment.Live.Add(replica);
            assessment.Memory[replica.Id] = new(lastBeatAt, StopRequested: false, WasDraining: false);
        }

        foreach (var (id, remembered) in state.Replicas)
        {
            if (!assessment.Memory.ContainsKey(id) && !remembered.StopRequested && !remembered.WasDraining)
            {
                assessment.AddCrash($"{id} exited without a stop request");
            }
        }

        // A replica that exits before the tick after its start, e.g. from a broken command, is never listed.
        // The replicas started on the last tick that do not show up as new ids count as such crashes.
        var newReplicas = replicas.Count(replica => !state.Replicas.ContainsKey(replica.Id));
        var neverSeen = state.PendingStarts - newReplicas;
        if (neverSeen > 0)
        {
            assessment.AddCrash(
                neverSeen == 1 ? "a started replica exited before it was listed" : $"{neverSeen} started replicas exited before they were listed",
                neverSeen);
        }

        return assessment;
    }

    private void AddCrash(string description, int count = 1)
    {
        Crashes.Add(description);
        CrashCount += count;
    }

    private static string? DeathDetail(ReplicaObservation replica, DateTimeOffset? lastBeatAt, DateTimeOffset now, ScalingOptions options)
    {
        if (lastBeatAt is { } beatAt)
        {
            var age = now - beatAt;
            return age > options.HeartbeatTimeout
                ? $"dead: no heartbeat for {DurationText.Format(age)} > heartbeat_timeout {DurationText.Format(options.HeartbeatTimeout)}"
                : null;
        }

        var sinceStart = now - replica.StartedAt;
        return sinceStart > options.StartTimeout
            ? $"dead: no heartbeat {DurationText.Format(sinceStart)} after start > start_timeout {DurationText.Format(options.StartTimeout)}"
            : null;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? first, DateTimeOffset? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        return first > second ? first : second;
    }
}
