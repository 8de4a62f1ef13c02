namespace ReuseQueue.Bench.Infrastructure;

/// <summary>Reads memory figures of Linux processes from /proc.</summary>
public static class ProcessMemory
{
    /// <summary>Returns the VmRSS of <paramref name="processId"/> in bytes, or null when the process is gone.</summary>
    public static long? ResidentBytes(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The line reads "VmRSS:     123456 kB".
        var line = lines.FirstOrDefault(candidate => candidate.StartsWith("VmRSS:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        return kilobytes * 1024;
    }
}
