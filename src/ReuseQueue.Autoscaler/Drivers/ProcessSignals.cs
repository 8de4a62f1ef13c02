using System.Runtime.InteropServices;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>POSIX signals sent to replica processes through kill(2).</summary>
internal static class ProcessSignals
{
    /// <summary>SIGTERM: the worker runtime drains and exits 0.</summary>
    public const int Terminate = 15;

    /// <summary>SIGKILL: ends the process at once. A process cannot catch or ignore it.</summary>
    public const int Kill = 9;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>. Returns false when the process no longer exists.</summary>
    /// <exception cref="InvalidOperationException">kill(2) failed for another reason, for example EPERM.</exception>
    public static bool TrySend(int pid, int signal)
    {
        if (SendSignal(pid, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error == NoSuchProcess)
        {
            return false;
        }

        throw new InvalidOperationException(
            $"Sending signal {signal} to process {pid} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}). " +
            "Check that the autoscaler runs as the user that owns the replica.");
    }

    // DllImport, not LibraryImport: the generated LibraryImport stub needs AllowUnsafeBlocks, and int
    // arguments are blittable, so the classic marshaller adds no cost.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
