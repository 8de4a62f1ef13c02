using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ReuseQueue.Bench.Infrastructure;

/// <summary>A program the benchmark starts (a replica, a baseline server, the autoscaler, docker), with its output kept.</summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last 4,000 characters the process printed, for error messages.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with its own standard input, so that closing it can ask the process to stop.</summary>
    public static ChildProcess Start(
        string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? variables = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts <c>dotnet</c> with an assembly path and arguments.</summary>
    public static ChildProcess StartDotnet(
        string name, string assemblyPath, IReadOnlyDictionary<string, string> variables, params string[] arguments) =>
        Start(name, "dotnet", [assemblyPath, .. arguments], variables);

    /// <summary>Waits for the first line the process prints, which the baseline server prints once it consumes.</summary>
    public async Task<string> WaitForFirstLineAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_firstLine.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (finished == _firstLine.Task)
        {
            return await _firstLine.Task;
        }

        throw new InvalidOperationException(_process.HasExited
            ? $"{Name} exited with code {_process.ExitCode} before it was ready:\n{OutputTail}"
            : $"{Name} printed nothing within {timeout.TotalSeconds:0} s:\n{OutputTail}");
    }

    /// <summary>Reads the resident set size (VmRSS) from /proc, in bytes; null after the process exited.</summary>
    public long? ResidentBytes() => ProcessMemory.ResidentBytes(_process.Id);

    /// <summary>Closes the process's standard input, which the baseline server takes as the request to stop.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Sends SIGTERM, the signal the replica drivers use to ask for a drain.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit, and kills it when it has not within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _firstLine.TrySetResult(line);
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
