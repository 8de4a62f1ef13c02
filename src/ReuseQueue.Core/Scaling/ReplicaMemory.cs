namespace ReuseQueue.Core.Scaling;

/// <summary>What the planner remembers of one replica between ticks.</summary>
/// <param name="LastBeatAt">
/// The newest heartbeat seen. A heartbeat key expires in Redis a few beats after the replica stops writing it,
/// so without this a hung replica would look like one that is still starting.
/// </param>
/// <param name="StopRequested">Whether the planner asked the driver to stop the replica.</param>
/// <param name="WasDraining">Whether the replica was draining when last seen, so that its exit is no crash.</param>
public sealed record ReplicaMemory(DateTimeOffset? LastBeatAt, bool StopRequested, bool WasDraining);
