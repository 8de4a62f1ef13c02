namespace ReuseQueue.Cli;

internal static class CliOutput
{
    /// <summary>Prints each problem as an error line and returns the usage exit code.</summary>
    public static int Error(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine("error: " + problem);
        }

        return ExitCodes.UsageOrConnection;
    }
}
