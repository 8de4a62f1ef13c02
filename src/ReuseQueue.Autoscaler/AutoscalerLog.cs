using Microsoft.Extensions.Logging;

namespace ReuseQueue.Autoscaler;

/// <summary>The autoscaler's log messages. Event ids 2000-2099; the process driver uses 2100-2199.</summary>
internal static partial class AutoscalerLog
{
    [LoggerMessage(2000, LogLevel.Information, "Autoscaler {Instance} started: driver {Driver}, tick {TickMs} ms, {Environments} environment(s)")]
    public static partial void Started(ILogger logger, string instance, string driver, double tickMs, int environments);

    [LoggerMessage(2001, LogLevel.Information, "Autoscaler {Instance} is the leader and acts from now on")]
    public static partial void BecameLeader(ILogger logger, string instance);

    [LoggerMessage(2002, LogLevel.Information, "Autoscaler {Instance} stands by: {Leader} holds the lease")]
    public static partial void StandingBy(ILogger logger, string instance, string? leader);

    [LoggerMessage(2003, LogLevel.Warning, "Autoscaler {Instance} lost the lease; it stops acting until it wins it back")]
    public static partial void LostLeadership(ILogger logger, string instance);

    [LoggerMessage(2004, LogLevel.Information, "Autoscaler {Instance} stopped; running replicas are left for the next autoscaler to adopt")]
    public static partial void Stopped(ILogger logger, string instance);

    [LoggerMessage(2010, LogLevel.Information, "{Environment}: {Reason}")]
    public static partial void Decision(ILogger logger, string environment, string reason);

    [LoggerMessage(2011, LogLevel.Warning, "{Environment}: {Reason}; no replica is started or stopped until this clears")]
    public static partial void Holding(ILogger logger, string environment, string reason);

    [LoggerMessage(2012, LogLevel.Warning, "Redis is unreachable ({Error}); holding every decision, nothing is started or stopped")]
    public static partial void RedisUnreachable(ILogger logger, string error);

    [LoggerMessage(2020, LogLevel.Information, "{Environment}: started replica {ReplicaId} ({RuntimeId})")]
    public static partial void ReplicaStarted(ILogger logger, string environment, string replicaId, string runtimeId);

    [LoggerMessage(2021, LogLevel.Error, "{Environment}: replica {ReplicaId} could not be started: {Reason}")]
    public static partial void ReplicaStartFailed(ILogger logger, string environment, string replicaId, string reason);

    [LoggerMessage(2022, LogLevel.Information, "{Environment}: stopping replica {ReplicaId}: {Reason}")]
    public static partial void StoppingReplica(ILogger logger, string environment, string replicaId, string reason);

    [LoggerMessage(2023, LogLevel.Information, "{Environment}: replica {ReplicaId} stopped, exit code {ExitCode}")]
    public static partial void ReplicaStopped(ILogger logger, string environment, string replicaId, string exitCode);

    [LoggerMessage(2024, LogLevel.Warning, "{Environment}: replica {ReplicaId} exited unexpectedly: {Detail}; it is replaced if the policy needs it")]
    public static partial void ReplicaExited(ILogger logger, string environment, string replicaId, string detail);

    [LoggerMessage(2025, LogLevel.Error, "{Environment}: stopping or removing replica {ReplicaId} failed")]
    public static partial void ReplicaStopFailed(ILogger logger, Exception exception, string environment, string replicaId);

    [LoggerMessage(2026, LogLevel.Warning, "Replica {ReplicaId} belongs to environment {Environment}, which is no longer configured; stopping it")]
    public static partial void OrphanReplica(ILogger logger, string environment, string replicaId);

    [LoggerMessage(2030, LogLevel.Information, "Config {Path} reloaded: {Environments} environment(s); the new policies apply from this tick")]
    public static partial void ConfigReloaded(ILogger logger, string path, int environments);

    [LoggerMessage(2031, LogLevel.Error, "Config {Path} changed but is invalid; the last good config stays in force. Fix these problems:\n{Problems}")]
    public static partial void ConfigReloadRejected(ILogger logger, string path, string problems);

    [LoggerMessage(2032, LogLevel.Warning, "{Environment}: the command, image, concurrency, retries or payload limit changed; running replicas keep the old settings until they are replaced, and new replicas get the new ones. Run `reuseq down` and restart `reuseq up` to replace them all now")]
    public static partial void ReplicaSettingsChanged(ILogger logger, string environment);

    [LoggerMessage(2040, LogLevel.Warning, "The management API at {Url} is unreachable ({Error}); reading queue depth with AMQP passive declares, which see ready messages only")]
    public static partial void ManagementApiUnreachable(ILogger logger, Uri url, string error);

    [LoggerMessage(2041, LogLevel.Information, "The management API at {Url} answers again; unacknowledged counts are back")]
    public static partial void ManagementApiRestored(ILogger logger, Uri url);

    [LoggerMessage(2050, LogLevel.Error, "Autoscaler tick failed; the next tick tries again")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
