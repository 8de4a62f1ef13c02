namespace ReuseQueue.Cli;

/// <summary>The process exit codes of <c>reuseq</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The task ran and failed, or a config file is invalid.</summary>
    public const int Failed = 1;

    /// <summary>Bad command-line input, or a service could not be reached.</summary>
    public const int UsageOrConnection = 2;

    /// <summary>No result arrived within the timeout.</summary>
    public const int TimedOut = 3;
}
