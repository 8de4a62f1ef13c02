using Microsoft.Extensions.Logging;

namespace ReuseQueue.Autoscaler.Drivers.Docker;

/// <summary>The Docker driver's log messages. Event ids 2200-2299.</summary>
internal static partial class DockerDriverLog
{
    [LoggerMessage(2200, LogLevel.Information, "Started container {ContainerId} ({Image}) for replica {ReplicaId} of environment {Environment}: {Limits}")]
    public static partial void Started(ILogger logger, string containerId, string image, string replicaId, string environment, string limits);

    [LoggerMessage(2201, LogLevel.Information, "Stopped container {ContainerId} of replica {ReplicaId}: exit code {ExitCode}")]
    public static partial void Stopped(ILogger logger, string containerId, string replicaId, long exitCode);

    [LoggerMessage(2202, LogLevel.Warning, "Removed exited container {ContainerId} of replica {ReplicaId}: exit code {ExitCode}{Detail}")]
    public static partial void RemovedExited(ILogger logger, string containerId, string replicaId, long? exitCode, string detail);

    [LoggerMessage(2203, LogLevel.Information, "Found {Count} running container(s) of this owner on the engine; adopting them")]
    public static partial void Adopted(ILogger logger, int count);
}
