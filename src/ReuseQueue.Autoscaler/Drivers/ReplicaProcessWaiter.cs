using System.Diagnostics;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>Checks whether replica processes run, and waits for them to exit on the given clock.</summary>
internal sealed class ReplicaProcessWaiter(TimeProvider timeProvider)
{
    /// <summary>The time between two checks while waiting for an exit: 100 ms.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The time a process may take to disappear after SIGKILL: 5 s.</summary>
    public static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The time the runtime may take to reap an exited child: 2 s.</summary>
    public static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Returns whether the record's process still runs: same pid, same start time, not a zombie.</summary>
    public static bool IsAlive(ProcessReplicaRecord record) =>
        ProcessStat.TryRead(record.Pid) is { } stat
        && stat.StartTime == record.ProcessStartTime
        && !stat.HasExited;

    /// <summary>Polls until the record's process has exited or <paramref name="timeout"/> has passed. Returns whether it exited.</summary>
    public async Task<bool> WaitForExitAsync(ProcessReplicaRecord record, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waitStarted = timeProvider.GetTimestamp();
        while (IsAlive(record))
        {
            var remaining = timeout - timeProvider.GetElapsedTime(waitStarted);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            var delay = remaining < PollInterval ? remaining : PollInterval;
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Sends SIGKILL and waits up to <see cref="KillTimeout"/> for the process to disappear.</summary>
    /// <exception cref="InvalidOperationException">The process still runs after <see cref="KillTimeout"/>.</exception>
    public async Task KillAsync(ProcessReplicaRecord record, CancellationToken cancellationToken)
    {
        ProcessSignals.TrySend(record.Pid, ProcessSignals.Kill);
        if (!await WaitForExitAsync(record, KillTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"Replica {record.ReplicaId} of environment {record.Environment} (pid {record.Pid}) still runs " +
                $"{KillTimeout.TotalSeconds} s after SIGKILL, probably blocked in the kernel. Its record is kept, " +
                "so a later stop or remove tries again.");
        }
    }

    /// <summary>
    /// Waits for the runtime to reap a child process, which makes its exit code available. Returns the exit
    /// code, or null when the child has not exited within <see cref="ReapTimeout"/>.
    /// </summary>
    public async Task<int?> WaitForChildExitAsync(Process process, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ReapTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return process.ExitCode;
    }
}
