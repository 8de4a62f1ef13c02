namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>A driver could not start a replica; the message names the environment, the cause and the fix.</summary>
public sealed class ReplicaStartException(string message, Exception? innerException = null)
    : Exception(message, innerException);
