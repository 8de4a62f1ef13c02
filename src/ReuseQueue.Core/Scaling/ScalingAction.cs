namespace ReuseQueue.Core.Scaling;

/// <summary>The kind of a <see cref="ScalingDecision"/>, for metrics and status output.</summary>
public enum ScalingAction
{
    /// <summary>The live replicas match the target; dead replicas may still be stopped.</summary>
    Steady,

    /// <summary>Observation failed, so nothing is started or stopped.</summary>
    Hold,

    /// <summary>Replicas are started to reach the target, or to replace dead ones.</summary>
    ScaleUp,

    /// <summary>An environment at zero replicas received work and starts replicas.</summary>
    ColdStart,

    /// <summary>Replicas are needed but starts wait for the crash back-off.</summary>
    Backoff,

    /// <summary>An idle replica, or one above max, is stopped.</summary>
    ScaleDown,

    /// <summary>The environment had no work for its idle TTL and every replica stops, or it stays at zero.</summary>
    ScaleToZero,
}
