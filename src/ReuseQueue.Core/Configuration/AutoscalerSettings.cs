using ReuseQueue.Core.Scaling;

namespace ReuseQueue.Core.Configuration;

/// <summary>The <c>autoscaler</c> section of the config file.</summary>
public sealed record AutoscalerSettings
{
    /// <summary>The default <see cref="TickInterval"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultTickInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="GracePeriod"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>The shortest accepted heartbeat timeout: three of the replicas' 1 s heartbeat intervals.</summary>
    public static readonly TimeSpan MinimumHeartbeatTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How replicas run. Default <see cref="ReplicaDriverKind.Process"/>.</summary>
    public ReplicaDriverKind Driver { get; init; } = ReplicaDriverKind.Process;

    /// <summary>The time between two observe-decide-act rounds. Default 1 second.</summary>
    public TimeSpan TickInterval { get; init; } = DefaultTickInterval;

    /// <summary>A replica whose newest heartbeat is older than this is dead. Default 5 seconds.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = ScalingOptions.DefaultHeartbeatTimeout;

    /// <summary>How long a stopping replica may drain before it is killed. Default 30 seconds.</summary>
    public TimeSpan GracePeriod { get; init; } = DefaultGracePeriod;

    /// <summary>A replica that has written no heartbeat this long after it started is dead. Default 60 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = ScalingOptions.DefaultStartTimeout;

    /// <summary>
    /// Glob patterns (<c>*</c> for any run of characters, <c>?</c> for one) of the images the docker driver may run.
    /// Empty (the default) allows every image. The process driver ignores it.
    /// </summary>
    public IReadOnlyList<string> AllowedImages { get; init; } = [];
}
