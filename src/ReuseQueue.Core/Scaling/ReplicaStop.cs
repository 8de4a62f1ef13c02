namespace ReuseQueue.Core.Scaling;

/// <summary>A replica the driver should stop, with the reason.</summary>
/// <param name="ReplicaId">The replica id.</param>
/// <param name="Reason">The kind of reason.</param>
/// <param name="Detail">The reason in words with its numbers, e.g. <c>idle for 31s &gt;= scaledown_ttl 30s</c>.</param>
public sealed record ReplicaStop(string ReplicaId, ReplicaStopReason Reason, string Detail)
{
    /// <summary>Formats the stop as <c>r-5 (idle for 31s &gt;= scaledown_ttl 30s)</c>.</summary>
    public override string ToString() => $"{ReplicaId} ({Detail})";
}
