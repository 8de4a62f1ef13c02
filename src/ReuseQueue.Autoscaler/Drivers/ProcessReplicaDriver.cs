using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// Runs replicas as local processes (Linux). Each replica runs detached from the autoscaler: no pipe
/// connects them, its output goes to a log file, and a JSON record in the state directory stores its
/// pid and process start time. An autoscaler started later over the same state directory therefore
/// adopts the running replicas of an earlier one. Different state directories never see each other's replicas.
/// </summary>
/// <remarks>
/// NOTE: replicas stay in the autoscaler's process group, so Ctrl+C in its terminal also sends SIGINT
/// to them (the worker runtime drains on it). Log files are never rotated or deleted.
/// </remarks>
public sealed class ProcessReplicaDriver : IReplicaDriver, IDisposable
{
    private readonly ProcessReplicaStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ReplicaProcessWaiter _waiter;
    private readonly ConcurrentDictionary<string, Process> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _adopted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ignoredRecords = new(StringComparer.Ordinal);

    /// <param name="stateDirectory">The directory of replica records and log files. The first start creates it.</param>
    /// <param name="logger">The driver's logger.</param>
    /// <param name="timeProvider">The clock for start times and for the waits of stop and remove.</param>
    public ProcessReplicaDriver(string stateDirectory, ILogger<ProcessReplicaDriver> logger, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = new ProcessReplicaStore(stateDirectory);
        _logger = logger;
        _timeProvider = timeProvider;
        _waiter = new ReplicaProcessWaiter(timeProvider);
    }

    public string Kind => "process";

    /// <summary>The full path of the state directory.</summary>
    public string StateDirectory => _store.Directory;

    public async Task<ManagedReplica> StartAsync(ReplicaLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();
        var environment = launch.Environment.Name;
        var (process, logFile, command) = ReplicaProcessLauncher.Launch(launch, _store);

        var stat = ProcessStat.TryRead(process.Id);
        if (stat is null)
        {
            int? exitCode;
            using (process)
            {
                exitCode = await _waiter.WaitForChildExitAsync(process, cancellationToken).ConfigureAwait(false);
            }

            throw new ReplicaStartException(
                $"environment '{environment}': replica '{launch.ReplicaId}' exited with code {FormatExitCode(exitCode)} " +
                $"right after it started: see its output in {logFile}");
        }

        var record = new ProcessReplicaRecord
        {
            Environment = environment,
            ReplicaId = launch.ReplicaId,
            Pid = process.Id,
            ProcessStartTime = stat.Value.StartTime,
            StartedAt = _timeProvider.GetUtcNow(),
            Command = [.. command],
            LogFile = logFile,
        };
        _children[Key(environment, launch.ReplicaId)] = process;

        // The process already runs, so the record is written even when the caller cancels: without it
        // the replica would run unmanaged.
        try
        {
            await _store.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            ProcessSignals.TrySend(process.Id, ProcessSignals.Kill);
            _children.TryRemove(Key(environment, launch.ReplicaId), out _);
            process.Dispose();
            throw new ReplicaStartException(
                $"environment '{environment}': the record of replica '{launch.ReplicaId}' could not be written " +
                $"to {_store.Directory} ({exception.Message}), so the replica was killed: make the state directory writable",
                exception);
        }

        ProcessDriverLog.ReplicaStarted(_logger, record.ReplicaId, environment, record.Pid, logFile);
        return ToManagedReplica(record, isRunning: true, exitCode: null, exitDetail: null);
    }

    public async Task<IReadOnlyList<ManagedReplica>> ListAsync(CancellationToken cancellationToken)
    {
        var replicas = new List<ManagedReplica>();
        foreach (var path in _store.ListRecordPaths())
        {
            ProcessReplicaRecord? record;
            try
            {
                record = await _store.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException exception)
            {
                if (_ignoredRecords.TryAdd(path, true))
                {
                    ProcessDriverLog.RecordIgnored(_logger, path, exception.Message);
                }

                continue;
            }

            if (record is not null)
            {
                replicas.Add(await DescribeAsync(record, cancellationToken).ConfigureAwait(false));
            }
        }

        return replicas
            .OrderBy(replica => replica.StartedAt)
            .ThenBy(replica => replica.Environment, StringComparer.Ordinal)
            .ThenBy(replica => replica.ReplicaId, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<int?> StopAsync(ManagedReplica replica, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        var record = await ReadRecordAsync(replica, "stop", cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var wasRunning = ReplicaProcessWaiter.IsAlive(record);
        var drained = false;
        if (wasRunning)
        {
            ProcessSignals.TrySend(record.Pid, ProcessSignals.Terminate);
            drained = await _waiter.WaitForExitAsync(record, gracePeriod, cancellationToken).ConfigureAwait(false);
            if (!drained)
            {
                await _waiter.KillAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }

        var exitCode = await TryGetExitCodeAsync(record, cancellationToken).ConfigureAwait(false);
        Forget(record);

        var exitCodeText = FormatExitCode(exitCode);
        if (!wasRunning)
        {
            ProcessDriverLog.ReplicaAlreadyExited(_logger, record.ReplicaId, record.Environment, record.Pid, exitCodeText);
        }
        else if (drained)
        {
            ProcessDriverLog.ReplicaDrained(
                _logger, record.ReplicaId, record.Environment, record.Pid, exitCodeText, gracePeriod.TotalSeconds);
        }
        else
        {
            ProcessDriverLog.ReplicaKilledAfterGracePeriod(
                _logger, record.ReplicaId, record.Environment, record.Pid, gracePeriod.TotalSeconds, exitCodeText);
        }

        return exitCode;
    }

    public async Task RemoveAsync(ManagedReplica replica, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replica);
        var record = await ReadRecordAsync(replica, "remove", cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return;
        }

        var wasRunning = ReplicaProcessWaiter.IsAlive(record);
        if (wasRunning)
        {
            await _waiter.KillAsync(record, cancellationToken).ConfigureAwait(false);
        }

        var exitCode = await TryGetExitCodeAsync(record, cancellationToken).ConfigureAwait(false);
        Forget(record);

        if (wasRunning)
        {
            ProcessDriverLog.RunningReplicaRemoved(_logger, record.ReplicaId, record.Environment, record.Pid, FormatExitCode(exitCode));
        }
        else
        {
            ProcessDriverLog.ExitedReplicaRemoved(_logger, record.ReplicaId, record.Environment, record.Pid, FormatExitCode(exitCode));
        }
    }

    /// <summary>Releases the process handles of the replicas this instance started. The replicas keep running.</summary>
    public void Dispose()
    {
        foreach (var key in _children.Keys)
        {
            if (_children.TryRemove(key, out var process))
            {
                process.Dispose();
            }
        }
    }

    private static string Key(string environment, string replicaId) => $"{environment}.{replicaId}";

    private static string Key(ProcessReplicaRecord record) => Key(record.Environment, record.ReplicaId);

    private static string FormatExitCode(int? exitCode) =>
        exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private async Task<ProcessReplicaRecord?> ReadRecordAsync(ManagedReplica replica, string action, CancellationToken cancellationToken)
    {
        var path = _store.RecordPath(replica.Environment, replica.ReplicaId);
        var record = await _store.ReadAsync(path, cancellationToken).ConfigureAwait(false);

        // A record with another pid belongs to a later replica under the same id, not to the one the caller listed.
        if (record is null || record.Pid.ToString(CultureInfo.InvariantCulture) != replica.RuntimeId)
        {
            ProcessDriverLog.ReplicaNotFound(_logger, action, replica.ReplicaId, replica.Environment, replica.RuntimeId);
            return null;
        }

        return record;
    }

    private async Task<ManagedReplica> DescribeAsync(ProcessReplicaRecord record, CancellationToken cancellationToken)
    {
        var isChild = _children.ContainsKey(Key(record));
        if (ReplicaProcessWaiter.IsAlive(record))
        {
            if (!isChild && _adopted.TryAdd(Key(record), true))
            {
                ProcessDriverLog.ReplicaAdopted(_logger, record.ReplicaId, record.Environment, record.Pid, record.StartedAt, record.LogFile);
            }

            return ToManagedReplica(record, isRunning: true, exitCode: null, exitDetail: null);
        }

        var exitCode = await TryGetExitCodeAsync(record, cancellationToken).ConfigureAwait(false);
        var exitDetail = (exitCode, isChild) switch
        {
            ({ } code, _) => $"exited with code {code}; output in {record.LogFile}",
            (null, true) => $"exited, exit code not available yet; output in {record.LogFile}",
            (null, false) => $"exit code unknown: started by an earlier autoscaler; output in {record.LogFile}",
        };
        return ToManagedReplica(record, isRunning: false, exitCode, exitDetail);
    }

    private static ManagedReplica ToManagedReplica(ProcessReplicaRecord record, bool isRunning, int? exitCode, string? exitDetail) =>
        new()
        {
            Environment = record.Environment,
            ReplicaId = record.ReplicaId,
            StartedAt = record.StartedAt,
            IsRunning = isRunning,
            ExitCode = exitCode,
            RuntimeId = record.Pid.ToString(CultureInfo.InvariantCulture),
            Image = CommandLine.Format(record.Command),
            ExitDetail = exitDetail,
        };

    /// <summary>Returns the exit code of a replica this instance started, or null for an adopted one.</summary>
    private async Task<int?> TryGetExitCodeAsync(ProcessReplicaRecord record, CancellationToken cancellationToken)
    {
        if (!_children.TryGetValue(Key(record), out var process))
        {
            return null;
        }

        return await _waiter.WaitForChildExitAsync(process, cancellationToken).ConfigureAwait(false);
    }

    private void Forget(ProcessReplicaRecord record)
    {
        _store.Delete(record.Environment, record.ReplicaId);
        _adopted.TryRemove(Key(record), out _);
        if (_children.TryRemove(Key(record), out var process))
        {
            process.Dispose();
        }
    }
}
