namespace ReuseQueue.Client;

/// <summary>Settings of one task call.</summary>
public sealed record RunOptions
{
    /// <summary>How long to wait for the result when none is given: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long to wait for the result. It also becomes the task's deadline, so a replica that
    /// receives the task after the caller gave up fails it instead of running it.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The execution id to use; null generates a new one.</summary>
    public string? ExecutionId { get; init; }
}
