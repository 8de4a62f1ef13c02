using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>
/// A redis-server of the test's own on a free loopback port, with no persistence, so a test can stop,
/// freeze or protect it without touching the shared Redis. Disposing kills it.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RedisServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>The StackExchange.Redis configuration string of this server, without a password.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server and waits until it responds on its port.</summary>
    /// <param name="password">When set, the server requires AUTH with it (<c>--requirepass</c>).</param>
    /// <param name="tls">When set, the server accepts TLS connections only, with this certificate.</param>
    public static async Task<RedisServerProcess> StartAsync(string? password = null, TestCertificates? tls = null)
    {
        var port = FreeLoopbackPort();
        var startInfo = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] listener = tls is null
            ? ["--port", port.ToString()]
            : ["--port", "0", "--tls-port", port.ToString(), "--tls-cert-file", tls.ServerCertificateFile,
               "--tls-key-file", tls.ServerKeyFile, "--tls-ca-cert-file", tls.CaFile, "--tls-auth-clients", "no"];
        foreach (var argument in listener.Concat(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (password is not null)
        {
            startInfo.ArgumentList.Add("--requirepass");
            startInfo.ArgumentList.Add(password);
        }

        var process = new Process { StartInfo = startInfo };
        var server = new RedisServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (tls is null)
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(10));
        }
        else
        {
            // A plain PING gets no reply from a TLS listener, so readiness comes from the server's log.
            await WaitFor.ConditionAsync(() => server.Output.Contains("Ready to accept connections"),
                TimeSpan.FromSeconds(10), $"redis-server with TLS on port {port}");
        }

        return server;
    }

    /// <summary>Freezes the server with SIGSTOP: connections stay open, and every command times out.</summary>
    public void Freeze() => PosixSignal.Send(_process.Id, PosixSignal.Stop);

    /// <summary>Resumes a frozen server with SIGCONT.</summary>
    public void Resume() => PosixSignal.Send(_process.Id, PosixSignal.Continue);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A frozen process still dies on SIGKILL.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < giveUpAt)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited with code {_process.ExitCode}:\n{Output}");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not answer within {timeout}:\n{Output}");
    }

    // Any reply counts, including the NOAUTH error of a server that requires a password.
    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            return await stream.ReadAsync(buffer) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
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
}
