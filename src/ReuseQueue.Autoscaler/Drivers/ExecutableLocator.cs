namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>Finds the executable of a replica command the way a POSIX shell does, to report a missing one before launch.</summary>
internal static class ExecutableLocator
{
    private const UnixFileMode AnyExecute =
        UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Returns the full path of <paramref name="executable"/>: resolved against the current directory when
    /// it contains '/', otherwise searched in <paramref name="searchPath"/> (the replica's PATH).
    /// </summary>
    /// <exception cref="ReplicaStartException">The executable is not found or not executable.</exception>
    public static string Find(string environment, string executable, string? searchPath)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            var fullPath = Path.GetFullPath(executable);
            if (!File.Exists(fullPath))
            {
                throw new ReplicaStartException(
                    $"environment '{environment}': executable '{executable}' was not found: " +
                    "fix the path in `command`, or install the program there");
            }

            return RequireExecutable(environment, fullPath);
        }

        // As in POSIX, an empty PATH entry means the current directory.
        var directories = (searchPath ?? string.Empty).Split(':');
        foreach (var directory in directories)
        {
            var candidate = Path.GetFullPath(Path.Combine(directory.Length == 0 ? "." : directory, executable));
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        throw new ReplicaStartException(
            $"environment '{environment}': executable '{executable}' was not found in PATH '{searchPath}': " +
            "install it, or set `command` to its full path");
    }

    private static string RequireExecutable(string environment, string fullPath)
    {
        if (!IsExecutable(fullPath))
        {
            throw new ReplicaStartException(
                $"environment '{environment}': '{fullPath}' is not executable: " +
                "make it executable (chmod +x) or fix `command`");
        }

        return fullPath;
    }

    // NOTE: the mode bits approximate access(2) for the current user. An exec that still fails ends the
    // replica at once with the shell's exit code (126 or 127) and its message in the log file.
    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() ? File.Exists(path) : (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
