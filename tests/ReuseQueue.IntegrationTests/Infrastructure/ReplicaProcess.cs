using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using StackExchange.Redis;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>An example worker replica running as a real child process.</summary>
public sealed partial class ReplicaProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReplicaProcess(string replicaId, Process process)
    {
        ReplicaId = replicaId;
        _process = process;
    }

    public string ReplicaId { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the replica printed so far, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string WorkerAssemblyPath =>
        Path.Combine(AppContext.BaseDirectory, "ReuseQueue.ExampleWorker.dll");

    public static string CliAssemblyPath => Path.Combine(AppContext.BaseDirectory, "reuseq.dll");

    public static ReplicaProcess Start(string replicaId, IReadOnlyDictionary<string, string> variables) =>
        StartDotnet(replicaId, variables, WorkerAssemblyPath);

    /// <summary>Starts <c>dotnet</c> with the given assembly and arguments, e.g. the CLI running <c>up</c>.</summary>
    public static ReplicaProcess StartDotnet(string name, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in variables)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var replica = new ReplicaProcess(name, process);
        process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
    }

    public async Task WaitForHeartbeatAsync(IDatabase redis, string key, TimeSpan timeout)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < giveUpAt)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Replica {ReplicaId} exited with code {_process.ExitCode} before it started:\n{Output}");
            }

            if (await redis.KeyExistsAsync(key))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Replica {ReplicaId} wrote no heartbeat within {timeout}:\n{Output}");
    }

    /// <summary>Sends SIGKILL: the process dies at once, without any cleanup.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>Sends SIGTERM, the signal a replica driver uses to ask for a drain.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
