using System.Runtime.InteropServices;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>Sends POSIX signals through kill(2), for faults that <see cref="System.Diagnostics.Process"/> cannot cause.</summary>
public static partial class PosixSignal
{
    /// <summary>SIGKILL: ends the process at once, without any cleanup.</summary>
    public const int Kill = 9;

    /// <summary>SIGCONT: resumes a process stopped with <see cref="Stop"/>.</summary>
    public const int Continue = 18;

    /// <summary>SIGSTOP: freezes the process. Its sockets stay open, but no request gets a response.</summary>
    public const int Stop = 19;

    /// <exception cref="InvalidOperationException">kill(2) failed, for example because the process is gone.</exception>
    public static void Send(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException(
                $"kill({pid}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
