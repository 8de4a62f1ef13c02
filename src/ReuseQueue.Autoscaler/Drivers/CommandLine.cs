namespace ReuseQueue.Autoscaler.Drivers;

/// <summary>Formats a command and its arguments as one line that a POSIX shell would split back the same way.</summary>
internal static class CommandLine
{
    public static string Format(IEnumerable<string> command) => string.Join(' ', command.Select(Quote));

    private static string Quote(string argument)
    {
        var needsQuotes = argument.Length == 0
            || argument.Any(character => !(char.IsAsciiLetterOrDigit(character) || "-_./=:,@%+".Contains(character)));
        return needsQuotes ? "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : argument;
    }
}
