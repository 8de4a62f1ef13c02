using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReuseQueue.Autoscaler.Drivers;
using ReuseQueue.Core.Policy;

namespace ReuseQueue.Autoscaler.Tests;

/// <summary>
/// The process driver against real processes: shell commands for the lifecycle, the example worker for
/// variables and exit codes. No test needs RabbitMQ or Redis. Each test has its own state directories
/// and kills every process it started. The driver needs Linux's /proc.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProcessReplicaDriverTests : IAsyncLifetime
{
    private const string EnvironmentName = "orders";

    // Each command prints "ready" once its SIGTERM handling is in place, so a test never signals it earlier.
    private static readonly string[] DrainableCommand =
        ["/bin/sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 0.1; done"];

    private static readonly string[] SigtermIgnoringCommand =
        ["/bin/sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"];

    private static readonly string[] SleepCommand = ["sleep", "1000"];

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);

    private readonly List<string> _stateDirectories = [];
    private readonly List<ProcessReplicaDriver> _drivers = [];
    private readonly List<int> _unrecordedPids = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var directory in _stateDirectories)
        {
            using var cleaner = new ProcessReplicaDriver(
                directory, new RecordingLogger<ProcessReplicaDriver>(), TimeProvider.System);
            foreach (var replica in await cleaner.ListAsync(CancellationToken.None))
            {
                await cleaner.RemoveAsync(replica, CancellationToken.None);
            }
        }

        foreach (var pid in _unrecordedPids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // The process has exited already.
            }
        }

        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        foreach (var directory in _stateDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_Command_RunsWithOwnPid()
    {
        var driver = CreateDriver(out _);

        var started = await driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var listed = Assert.Single(await driver.ListAsync(CancellationToken.None));

        Assert.Equal("process", driver.Kind);
        Assert.True(started.IsRunning);
        Assert.Equal(started, listed);
        Assert.Equal(EnvironmentName, listed.Environment);
        Assert.Equal("r1", listed.ReplicaId);
        Assert.Equal("sleep 1000", listed.Image);
        Assert.Null(listed.ExitCode);
        Assert.Null(listed.ExitDetail);

        // The launcher shell execs the command, so the listed pid runs sleep itself.
        var pid = int.Parse(listed.RuntimeId);
        await WaitUntilAsync(() => Task.FromResult(ReadCommandLine(pid).FirstOrDefault()?.EndsWith("/sleep") == true), "sleep to replace the launcher shell");
        var commandLine = ReadCommandLine(pid);
        Assert.Equal(2, commandLine.Length);
        Assert.Equal("sleep", Path.GetFileName(commandLine[0]));
        Assert.Equal("1000", commandLine[1]);
    }

    [Fact]
    public async Task StartAsync_FakeClock_RecordsClockTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var driver = CreateDriver(out _, timeProvider: clock);

        var started = await driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var listed = Assert.Single(await driver.ListAsync(CancellationToken.None));

        Assert.Equal(clock.GetUtcNow(), started.StartedAt);
        Assert.Equal(clock.GetUtcNow(), listed.StartedAt);
    }

    [Fact]
    public async Task StopAsync_DrainingReplica_ReturnsZero()
    {
        var driver = CreateDriver(out var logger);
        var replica = await driver.StartAsync(Launch("r1", DrainableCommand), CancellationToken.None);
        await WaitForLogAsync(driver, "r1", "ready\n");

        var stopwatch = Stopwatch.StartNew();
        var exitCode = await driver.StopAsync(replica, TimeSpan.FromSeconds(30), CancellationToken.None);
        stopwatch.Stop();

        Assert.Equal(0, exitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopwatch.Elapsed}");
        Assert.False(IsProcessRunning(int.Parse(replica.RuntimeId)));
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
        Assert.Equal([2100, 2101], logger.EventIds);
    }

    [Fact]
    public async Task StopAsync_SigtermIgnored_KillsAfterGracePeriod()
    {
        var driver = CreateDriver(out var logger);
        var replica = await driver.StartAsync(Launch("r1", SigtermIgnoringCommand), CancellationToken.None);
        await WaitForLogAsync(driver, "r1", "ready\n");

        var stopwatch = Stopwatch.StartNew();
        var exitCode = await driver.StopAsync(replica, TimeSpan.FromSeconds(1), CancellationToken.None);
        stopwatch.Stop();

        Assert.Equal(128 + 9, exitCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1), $"stop took {stopwatch.Elapsed}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(6), $"stop took {stopwatch.Elapsed}");
        Assert.False(IsProcessRunning(int.Parse(replica.RuntimeId)));
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
        Assert.Equal([2100, 2102], logger.EventIds);
        Assert.Equal(LogLevel.Warning, logger.Entries[1].Level);
    }

    [Fact]
    public async Task ListAsync_ReplicaExited_ShowsExitCode()
    {
        var driver = CreateDriver(out _);
        await driver.StartAsync(Launch("r1", ["/bin/sh", "-c", "sleep 0.3; exit 3"]), CancellationToken.None);

        var exited = await WaitForExitedAsync(driver);

        Assert.Equal(3, exited.ExitCode);
        Assert.Equal($"exited with code 3; output in {LogFile(driver, "r1")}", exited.ExitDetail);
    }

    [Fact]
    public async Task StopAsync_ExitedReplica_ReturnsExitCode()
    {
        var driver = CreateDriver(out var logger);
        await driver.StartAsync(Launch("r1", ["/bin/sh", "-c", "sleep 0.3; exit 4"]), CancellationToken.None);
        var exited = await WaitForExitedAsync(driver);

        var exitCode = await driver.StopAsync(exited, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(4, exitCode);
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
        Assert.Equal([2100, 2103], logger.EventIds);
    }

    [Fact]
    public async Task ListAsync_SameStateDirectory_AdoptsReplica()
    {
        var first = CreateDriver(out _);
        var started = await first.StartAsync(Launch("r1", DrainableCommand), CancellationToken.None);
        await WaitForLogAsync(first, "r1", "ready\n");
        var second = CreateDriver(out var secondLogger, first.StateDirectory);

        var adopted = Assert.Single(await second.ListAsync(CancellationToken.None));
        await second.ListAsync(CancellationToken.None);

        Assert.True(adopted.IsRunning);
        Assert.Equal(started.RuntimeId, adopted.RuntimeId);
        Assert.Equal(started.StartedAt, adopted.StartedAt);
        Assert.Equal([2104], secondLogger.EventIds);

        var exitCode = await second.StopAsync(adopted, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Null(exitCode);
        Assert.False(IsProcessRunning(int.Parse(adopted.RuntimeId)));
        Assert.Empty(await second.ListAsync(CancellationToken.None));
        Assert.Empty(await first.ListAsync(CancellationToken.None));
        Assert.Equal([2104, 2101], secondLogger.EventIds);
    }

    [Fact]
    public async Task ListAsync_AdoptedReplicaDied_HasNoExitCode()
    {
        var first = CreateDriver(out _);
        var started = await first.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var second = CreateDriver(out var secondLogger, first.StateDirectory);
        var pid = int.Parse(started.RuntimeId);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        await WaitUntilAsync(() => Task.FromResult(!IsProcessRunning(pid)), $"process {pid} to exit");
        var exited = Assert.Single(await second.ListAsync(CancellationToken.None));

        Assert.False(exited.IsRunning);
        Assert.Null(exited.ExitCode);
        Assert.Equal(
            $"exit code unknown: started by an earlier autoscaler; output in {LogFile(first, "r1")}", exited.ExitDetail);

        await second.RemoveAsync(exited, CancellationToken.None);

        Assert.Empty(await second.ListAsync(CancellationToken.None));
        Assert.Equal([2105], secondLogger.EventIds);
    }

    [Fact]
    public async Task ListAsync_ReusedPid_ShowsExited()
    {
        var first = CreateDriver(out _);
        var started = await first.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var pid = int.Parse(started.RuntimeId);
        _unrecordedPids.Add(pid);
        var recordPath = Assert.Single(Directory.GetFiles(first.StateDirectory, "*.json"));
        var record = JsonNode.Parse(await File.ReadAllTextAsync(recordPath))!;
        record["processStartTime"] = record["processStartTime"]!.GetValue<long>() + 1;
        await File.WriteAllTextAsync(recordPath, record.ToJsonString());
        var second = CreateDriver(out _, first.StateDirectory);

        var listed = Assert.Single(await second.ListAsync(CancellationToken.None));
        await second.RemoveAsync(listed, CancellationToken.None);

        Assert.False(listed.IsRunning);
        Assert.Null(listed.ExitCode);
        Assert.True(IsProcessRunning(pid));
        Assert.Empty(await second.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RemoveAsync_RunningReplica_KillsAndForgetsIt()
    {
        var driver = CreateDriver(out var logger);
        var replica = await driver.StartAsync(Launch("r1", SigtermIgnoringCommand), CancellationToken.None);

        await driver.RemoveAsync(replica, CancellationToken.None);

        Assert.False(IsProcessRunning(int.Parse(replica.RuntimeId)));
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
        Assert.Equal([2100, 2106], logger.EventIds);
    }

    [Fact]
    public async Task StopAsync_StaleRuntimeId_StopsNothing()
    {
        var driver = CreateDriver(out _);
        var replica = await driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var stale = replica with { RuntimeId = "1" };

        var exitCode = await driver.StopAsync(stale, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Null(exitCode);
        Assert.True(IsProcessRunning(int.Parse(replica.RuntimeId)));
        Assert.True(Assert.Single(await driver.ListAsync(CancellationToken.None)).IsRunning);
    }

    public static TheoryData<string[]?> MissingCommands => new() { null, Array.Empty<string>(), new[] { "" } };

    [Theory]
    [MemberData(nameof(MissingCommands))]
    public async Task StartAsync_NoCommand_ThrowsWithFix(string[]? command)
    {
        var driver = CreateDriver(out _);
        var launch = new ReplicaLaunch(
            new TaskEnvironment { Name = EnvironmentName, Command = command, Image = "orders:1" },
            "r1",
            new Dictionary<string, string>());

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(launch, CancellationToken.None));

        Assert.Equal(
            "environment 'orders' has no command: set `command` in the config, or use the docker driver with an image",
            exception.Message);
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_ExecutableNotInPath_Throws()
    {
        var driver = CreateDriver(out _);
        var launch = Launch("r1", ["reuseq-no-such-program", "--flag"], new() { ["PATH"] = "/nonexistent/bin:/usr/bin" });

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(launch, CancellationToken.None));

        Assert.Equal(
            "environment 'orders': executable 'reuseq-no-such-program' was not found in PATH '/nonexistent/bin:/usr/bin': " +
            "install it, or set `command` to its full path",
            exception.Message);
        Assert.Empty(await driver.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_ExecutablePathMissing_Throws()
    {
        var driver = CreateDriver(out _);

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(Launch("r1", ["/nonexistent/reuseq-worker"]), CancellationToken.None));

        Assert.Equal(
            "environment 'orders': executable '/nonexistent/reuseq-worker' was not found: " +
            "fix the path in `command`, or install the program there",
            exception.Message);
    }

    [Fact]
    public async Task StartAsync_FileNotExecutable_ThrowsWithChmodFix()
    {
        var driver = CreateDriver(out _);
        var script = Path.Combine(NewStateDirectory(), "worker.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(Launch("r1", [script]), CancellationToken.None));

        Assert.Equal(
            $"environment 'orders': '{script}' is not executable: make it executable (chmod +x) or fix `command`",
            exception.Message);
    }

    [Fact]
    public async Task StartAsync_ReplicaIdInUse_Throws()
    {
        var driver = CreateDriver(out _);
        var first = await driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None));

        Assert.Equal(
            $"environment 'orders' already has a replica 'r1' (record {Path.Combine(driver.StateDirectory, "orders.r1.json")}): " +
            "remove it first, or start the new replica under another id",
            exception.Message);
        Assert.Equal(first.RuntimeId, Assert.Single(await driver.ListAsync(CancellationToken.None)).RuntimeId);
    }

    [Fact]
    public async Task StartAsync_ReplicaIdWithSlash_Throws()
    {
        var driver = CreateDriver(out _);

        var exception = await Assert.ThrowsAsync<ReplicaStartException>(
            () => driver.StartAsync(Launch("../r1", SleepCommand), CancellationToken.None));

        Assert.Equal(
            "environment 'orders': replica id '../r1' is invalid: " +
            "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit",
            exception.Message);
    }

    [Fact]
    public async Task StartAsync_ReplicaOutput_AppendsToLogFile()
    {
        var driver = CreateDriver(out _);
        var environment = new TaskEnvironment
        {
            Name = EnvironmentName,
            Command = ["/bin/sh", "-c", "echo \"$GREETING $REUSEQ_REPLICA_ID\"; echo \"$OVERRIDDEN\" >&2; sleep 0.3"],
            EnvironmentVariables = new Dictionary<string, string> { ["GREETING"] = "hello", ["OVERRIDDEN"] = "environment" },
        };
        var variables = new Dictionary<string, string> { ["REUSEQ_REPLICA_ID"] = "r1", ["OVERRIDDEN"] = "launch" };

        await driver.StartAsync(new ReplicaLaunch(environment, "r1", variables), CancellationToken.None);
        var exited = await WaitForExitedAsync(driver);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("hello r1\nlaunch\n", await File.ReadAllTextAsync(LogFile(driver, "r1")));
    }

    [Fact]
    public async Task StartAsync_WorkerInvalidSettings_ExitsTwo()
    {
        var driver = CreateDriver(out _);
        var workerAssembly = Path.Combine(AppContext.BaseDirectory, "ReuseQueue.ExampleWorker.dll");
        var variables = new Dictionary<string, string>
        {
            ["REUSEQ_ENVIRONMENT"] = "Not_Valid",
            ["REUSEQ_REPLICA_ID"] = "r1",
        };

        await driver.StartAsync(
            new ReplicaLaunch(new TaskEnvironment { Name = EnvironmentName, Command = ["dotnet", workerAssembly] }, "r1", variables),
            CancellationToken.None);
        var exited = await WaitForExitedAsync(driver);

        Assert.Equal(2, exited.ExitCode);
        Assert.Contains(
            "REUSEQ_ENVIRONMENT 'Not_Valid' is invalid",
            await File.ReadAllTextAsync(LogFile(driver, "r1")));
    }

    [Fact]
    public async Task ListAsync_DifferentStateDirectories_StaySeparate()
    {
        var first = CreateDriver(out _);
        var second = CreateDriver(out _);

        var firstReplica = await first.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var secondReplica = await second.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);

        Assert.Equal(firstReplica.RuntimeId, Assert.Single(await first.ListAsync(CancellationToken.None)).RuntimeId);
        Assert.Equal(secondReplica.RuntimeId, Assert.Single(await second.ListAsync(CancellationToken.None)).RuntimeId);
        Assert.NotEqual(firstReplica.RuntimeId, secondReplica.RuntimeId);
    }

    [Fact]
    public async Task ListAsync_InvalidRecord_WarnsOnce()
    {
        var driver = CreateDriver(out var logger);
        await driver.StartAsync(Launch("r1", SleepCommand), CancellationToken.None);
        var invalidPath = Path.Combine(driver.StateDirectory, "orders.broken.json");
        await File.WriteAllTextAsync(invalidPath, "{ not json");

        var first = await driver.ListAsync(CancellationToken.None);
        var second = await driver.ListAsync(CancellationToken.None);

        Assert.Equal("r1", Assert.Single(first).ReplicaId);
        Assert.Equal("r1", Assert.Single(second).ReplicaId);
        Assert.Equal([2100, 2107], logger.EventIds);
        Assert.Contains(invalidPath, logger.Entries[1].Message);
    }

    private ProcessReplicaDriver CreateDriver(
        out RecordingLogger<ProcessReplicaDriver> logger, string? stateDirectory = null, TimeProvider? timeProvider = null)
    {
        logger = new RecordingLogger<ProcessReplicaDriver>();
        var driver = new ProcessReplicaDriver(stateDirectory ?? NewStateDirectory(), logger, timeProvider ?? TimeProvider.System);
        _drivers.Add(driver);
        return driver;
    }

    private string NewStateDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "reuseq-process-driver-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        _stateDirectories.Add(directory);
        return directory;
    }

    private static ReplicaLaunch Launch(string replicaId, string[] command, Dictionary<string, string>? environmentVariables = null) =>
        new(
            new TaskEnvironment
            {
                Name = EnvironmentName,
                Command = command,
                EnvironmentVariables = environmentVariables ?? new Dictionary<string, string>(),
            },
            replicaId,
            new Dictionary<string, string> { ["REUSEQ_ENVIRONMENT"] = EnvironmentName, ["REUSEQ_REPLICA_ID"] = replicaId });

    private static string LogFile(ProcessReplicaDriver driver, string replicaId) =>
        Path.Combine(driver.StateDirectory, $"{EnvironmentName}.{replicaId}.log");

    private static bool IsProcessRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string[] ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static async Task WaitForLogAsync(ProcessReplicaDriver driver, string replicaId, string expected) =>
        await WaitUntilAsync(
            async () => await File.ReadAllTextAsync(LogFile(driver, replicaId)) == expected,
            $"log of replica {replicaId} to read '{expected.TrimEnd()}'");

    private static async Task<ManagedReplica> WaitForExitedAsync(ProcessReplicaDriver driver)
    {
        ManagedReplica? exited = null;
        await WaitUntilAsync(
            async () =>
            {
                exited = Assert.Single(await driver.ListAsync(CancellationToken.None));
                return !exited.IsRunning;
            },
            "the replica to exit");
        return exited!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string description)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > WaitTimeout)
            {
                throw new TimeoutException($"Timed out after {WaitTimeout.TotalSeconds} s waiting for {description}");
            }

            await Task.Delay(50);
        }
    }
}
