using Microsoft.Extensions.Logging;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>The process replica driver's log messages. Event ids 2100-2199.</summary>
internal static partial class ProcessDriverLog
{
    [LoggerMessage(2100, LogLevel.Information,
        "Started replica {ReplicaId} of environment {Environment}: pid {Pid}, output in {LogFile}")]
    public static partial void ReplicaStarted(ILogger logger, string replicaId, string environment, int pid, string logFile);

    [LoggerMessage(2101, LogLevel.Information,
        "Stopped replica {ReplicaId} of environment {Environment} (pid {Pid}): it drained and exited with code {ExitCode} within the grace period of {GracePeriodSeconds} s")]
    public static partial void ReplicaDrained(
        ILogger logger, string replicaId, string environment, int pid, string exitCode, double gracePeriodSeconds);

    [LoggerMessage(2102, LogLevel.Warning,
        "Killed replica {ReplicaId} of environment {Environment} (pid {Pid}) because it did not exit within the grace period of {GracePeriodSeconds} s (exit code {ExitCode}). Tasks it had not finished stay unacknowledged, so RabbitMQ redelivers them. Raise the grace period if its tasks need longer to drain.")]
    public static partial void ReplicaKilledAfterGracePeriod(
        ILogger logger, string replicaId, string environment, int pid, double gracePeriodSeconds, string exitCode);

    [LoggerMessage(2103, LogLevel.Information,
        "Stopped replica {ReplicaId} of environment {Environment} (pid {Pid}): it had already exited with code {ExitCode}")]
    public static partial void ReplicaAlreadyExited(ILogger logger, string replicaId, string environment, int pid, string exitCode);

    [LoggerMessage(2104, LogLevel.Information,
        "Adopted replica {ReplicaId} of environment {Environment} (pid {Pid}), started at {StartedAt:O} by an earlier autoscaler; output in {LogFile}")]
    public static partial void ReplicaAdopted(
        ILogger logger, string replicaId, string environment, int pid, DateTimeOffset startedAt, string logFile);

    [LoggerMessage(2105, LogLevel.Information,
        "Removed exited replica {ReplicaId} of environment {Environment} (pid {Pid}, exit code {ExitCode})")]
    public static partial void ExitedReplicaRemoved(ILogger logger, string replicaId, string environment, int pid, string exitCode);

    [LoggerMessage(2106, LogLevel.Warning,
        "Killed and removed replica {ReplicaId} of environment {Environment} (pid {Pid}) although it still ran (exit code {ExitCode}). Tasks it had not finished stay unacknowledged, so RabbitMQ redelivers them")]
    public static partial void RunningReplicaRemoved(ILogger logger, string replicaId, string environment, int pid, string exitCode);

    [LoggerMessage(2107, LogLevel.Warning,
        "Ignored replica record {Path}: {Reason} The process driver does not list, stop or remove the replica it describes until the file is fixed or deleted.")]
    public static partial void RecordIgnored(ILogger logger, string path, string reason);

    [LoggerMessage(2108, LogLevel.Information,
        "Nothing to {Action} for replica {ReplicaId} of environment {Environment} (pid {Pid}): the driver has no record of that process, so it was removed before")]
    public static partial void ReplicaNotFound(ILogger logger, string action, string replicaId, string environment, string pid);
}
