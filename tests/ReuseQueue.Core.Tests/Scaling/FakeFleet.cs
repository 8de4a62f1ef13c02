using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Core.Policy;
using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Tests.Scaling;

/// <summary>
/// A replica driver and heartbeat store in memory: it runs the planner's decisions at once, so a test can
/// follow an environment over many ticks. Healthy replicas beat on every tick.
/// </summary>
internal sealed class FakeFleet(FakeTimeProvider clock, ReusePolicy policy, ScalingOptions? options = null)
{
    private readonly ScalingPlanner planner = new(options);
    private readonly List<FakeReplica> replicas = [];
    private int nextId = 1;

    public PlannerState State { get; private set; } = PlannerState.Initial;

    public IReadOnlyList<FakeReplica> Replicas => replicas;

    /// <summary>Whether started replicas exit before their first heartbeat, as with a broken command.</summary>
    public bool CrashOnStart { get; set; }

    public FakeReplica Add()
    {
        var replica = new FakeReplica($"r-{nextId++}", clock.GetUtcNow());
        replicas.Add(replica);
        return replica;
    }

    public FakeReplica this[string id] => replicas.Single(replica => replica.Id == id);

    public ScalingDecision Tick(long ready = 0, long unacked = 0)
    {
        var now = clock.GetUtcNow();
        replicas.RemoveAll(replica => replica.Exited);
        var decision = planner.Plan(new ScalingInput
        {
            Policy = policy,
            Queue = QueueObservation.Of(ready, unacked),
            Replicas = replicas.Select(replica => replica.Observe(now)).ToList(),
            State = State,
            Now = now,
        });

        State = decision.State;
        replicas.RemoveAll(replica => decision.Stops.Any(stop => stop.ReplicaId == replica.Id));
        for (var i = 0; i < decision.StartCount; i++)
        {
            Add().Exited = CrashOnStart;
        }

        return decision;
    }
}
