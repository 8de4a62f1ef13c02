using System.Globalization;

namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>
/// The two fields of <c>/proc/&lt;pid&gt;/stat</c> (Linux, see proc(5)) that the process driver reads:
/// the state letter (field 3) and the start time in clock ticks after boot (field 22). The start time
/// distinguishes a replica from a later process that the kernel gave the same pid.
/// </summary>
internal readonly record struct ProcessStat(char State, long StartTime)
{
    /// <summary>True for a process that has exited but is not reaped yet: zombie (Z) or dead (X).</summary>
    public bool HasExited => State is 'Z' or 'X' or 'x';

    /// <summary>Reads the stat of process <paramref name="pid"/>. Returns null when no such process exists.</summary>
    /// <exception cref="InvalidDataException">The file does not have the format of proc(5).</exception>
    public static ProcessStat? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            // FileNotFoundException and DirectoryNotFoundException when the process is gone, or a plain
            // IOException (ESRCH) when it exits while the file is read.
            return null;
        }

        return Parse(pid, text);
    }

    private static ProcessStat Parse(int pid, string text)
    {
        // Field 2 is the command name in parentheses, which may itself contain spaces and ')', so the
        // fields are counted from the last ')': fields[0] is field 3 and fields[19] is field 22.
        var nameEnd = text.LastIndexOf(')');
        var fields = nameEnd < 0 || nameEnd + 2 >= text.Length
            ? []
            : text[(nameEnd + 2)..].Split(' ');
        if (fields.Length < 20
            || fields[0].Length != 1
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            throw new InvalidDataException($"/proc/{pid}/stat has an unexpected format: '{text.TrimEnd()}'");
        }

        return new ProcessStat(fields[0][0], startTime);
    }
}
