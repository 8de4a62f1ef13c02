using System.ComponentModel;
using System.Diagnostics;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// Checks a replica launch and starts its command through <c>/bin/sh</c>, with output appended to a log
/// file in the state directory and no pipe to the autoscaler, so the replica outlives the autoscaler.
/// </summary>
internal static class ReplicaProcessLauncher
{
    // The shell opens the log file, then execs the command, so the replica keeps the pid that
    // Process.Start returned and its standard streams stay detached from the autoscaler.
    private const string LauncherScript = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";
    private const string LauncherName = "reuseq-replica";

    /// <summary>Starts the replica's process. Returns it with the log file and the command as configured.</summary>
    /// <exception cref="ReplicaStartException">The launch is invalid or the process could not be started.</exception>
    public static (Process Process, string LogFile, IReadOnlyList<string> Command) Launch(
        ReplicaLaunch launch, ProcessReplicaStore store)
    {
        var environment = launch.Environment.Name;
        var command = launch.Environment.Command;
        if (command is null || command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
        {
            throw new ReplicaStartException(
                $"environment '{environment}' has no command: set `command` in the config, or use the docker driver with an image");
        }

        var variables = MergeVariables(launch);
        var searchPath = variables.GetValueOrDefault("PATH") ?? System.Environment.GetEnvironmentVariable("PATH");
        var executable = ExecutableLocator.Find(environment, command[0], searchPath);
        var logFile = PrepareStateDirectory(store, environment, launch.ReplicaId);

        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(LauncherScript);
        startInfo.ArgumentList.Add(LauncherName);
        startInfo.ArgumentList.Add(logFile);
        startInfo.ArgumentList.Add(executable);
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in variables)
        {
            startInfo.Environment[name] = value;
        }

        try
        {
            var process = Process.Start(startInfo)
                ?? throw new ReplicaStartException($"environment '{environment}': /bin/sh did not start for '{executable}'");
            return (process, logFile, command);
        }
        catch (Win32Exception exception)
        {
            throw new ReplicaStartException(
                $"environment '{environment}': '{executable}' could not be started through /bin/sh ({exception.Message}): " +
                "check that /bin/sh exists and the autoscaler may run programs",
                exception);
        }
    }

    /// <summary>Returns the environment's variables with the launch's <c>REUSEQ_*</c> variables set on top.</summary>
    private static Dictionary<string, string> MergeVariables(ReplicaLaunch launch)
    {
        var variables = new Dictionary<string, string>(launch.Environment.EnvironmentVariables, StringComparer.Ordinal);
        foreach (var (name, value) in launch.Variables)
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>Creates the state directory and the replica's log file. Returns the log file's path.</summary>
    private static string PrepareStateDirectory(ProcessReplicaStore store, string environment, string replicaId)
    {
        if (!ProcessReplicaStore.IsValidReplicaId(replicaId))
        {
            throw new ReplicaStartException(
                $"environment '{environment}': replica id '{replicaId}' is invalid: use {ProcessReplicaStore.ReplicaIdRule}");
        }

        if (!Directory.Exists("/proc/self"))
        {
            throw new ReplicaStartException(
                $"environment '{environment}': the process driver needs the Linux /proc file system, which is not mounted here: " +
                "run the autoscaler on Linux, or use the docker driver");
        }

        var recordPath = store.RecordPath(environment, replicaId);
        if (File.Exists(recordPath))
        {
            throw new ReplicaStartException(
                $"environment '{environment}' already has a replica '{replicaId}' (record {recordPath}): " +
                "remove it first, or start the new replica under another id");
        }

        var logFile = store.LogPath(environment, replicaId);
        try
        {
            Directory.CreateDirectory(store.Directory);
            File.AppendAllText(logFile, string.Empty);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ReplicaStartException(
                $"environment '{environment}': the log file {logFile} could not be created ({exception.Message}): " +
                "make the state directory writable, or configure another one",
                exception);
        }

        return logFile;
    }
}
