namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// Starts, lists and stops the worker replicas of task environments on one kind of runtime
/// (local processes, Docker containers). A driver finds the replicas it started before a restart of
/// the autoscaler, so a new autoscaler adopts them instead of starting duplicates.
/// </summary>
public interface IReplicaDriver
{
    /// <summary>The driver's name in config and status: <c>process</c> or <c>docker</c>.</summary>
    string Kind { get; }

    /// <summary>Starts one replica and returns it once its process or container runs.</summary>
    /// <exception cref="ReplicaStartException">The replica could not be started; the message gives the cause and the fix.</exception>
    Task<ManagedReplica> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Lists every replica this driver owns, running or exited, including those started by an earlier
    /// autoscaler with the same owner. Exited replicas stay listed, with their exit code, until removed.
    /// </summary>
    Task<IReadOnlyList<ManagedReplica>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops a replica gracefully: SIGTERM, wait up to <paramref name="gracePeriod"/> for it to drain
    /// and exit, then kill it. Forgets the replica afterwards. Returns the exit code when known.
    /// </summary>
    Task<int?> StopAsync(ManagedReplica replica, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Kills a replica if it still runs and deletes the driver's record of it, for a replica found dead or exited.</summary>
    Task RemoveAsync(ManagedReplica replica, CancellationToken cancellationToken);
}
