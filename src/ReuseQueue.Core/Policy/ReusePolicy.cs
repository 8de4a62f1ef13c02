namespace ReuseQueue.Core.Policy;

/// <summary>
/// How an environment reuses its replicas: how many run, how many tasks each takes at once,
/// and when idle replicas, or the whole environment, are stopped.
/// Check a policy with <see cref="PolicyValidator"/> before use.
/// </summary>
public sealed record ReusePolicy
{
    /// <summary>The default <see cref="Concurrency"/>: one task per replica at a time.</summary>
    public const int DefaultConcurrency = 1;

    /// <summary>The default <see cref="Retries"/>: a failing task is not retried.</summary>
    public const int DefaultRetries = 0;

    /// <summary>The default <see cref="MaxPayloadBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    /// <summary>The default <see cref="ScaledownTtl"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultScaledownTtl = TimeSpan.FromMinutes(5);

    /// <summary>The number of replicas. Default: a fixed pool of 1.</summary>
    /// <summary>The largest concurrency: the AMQP prefetch count is a 16-bit number.</summary>
    public const int MaxConcurrency = ushort.MaxValue;

    public ReplicaRange Replicas { get; init; } = ReplicaRange.Fixed(1);

    /// <summary>
    /// Tasks one replica runs at once; the replica's prefetch count equals it. Default 1.
    /// </summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>
    /// How long a replica above <see cref="ReplicaRange.Min"/> must run no task before it may be
    /// stopped. It is also the shortest time between two scale-downs of the environment. Default 5 minutes.
    /// </summary>
    public TimeSpan ScaledownTtl { get; init; } = DefaultScaledownTtl;

    /// <summary>
    /// How long the environment must have no queued and no running task before every replica,
    /// <see cref="ReplicaRange.Min"/> included, is stopped. Null (the default) keeps the environment always on.
    /// </summary>
    public TimeSpan? IdleTtl { get; init; }

    /// <summary>How many times a failing task is run again; 0 or more. Default 0: no retry.</summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>The longest one task may run before it fails as timed out. Null (the default) sets no limit.</summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>The largest task message body a replica accepts, in bytes. Default 1 MiB (1,048,576).</summary>
    public int MaxPayloadBytes { get; init; } = DefaultMaxPayloadBytes;
}
