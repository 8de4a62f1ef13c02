using ReuseQueue.Core.Configuration;

namespace ReuseQueue.Core.Scaling;

/// <summary>The autoscaler-wide limits the planner applies to every environment.</summary>
public sealed record ScalingOptions
{
    /// <summary>The default <see cref="HeartbeatTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="StartTimeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="CrashBackoffInitial"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultCrashBackoffInitial = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="CrashBackoffMax"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultCrashBackoffMax = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="StabilityWindow"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultStabilityWindow = TimeSpan.FromSeconds(60);

    /// <summary>A replica whose newest heartbeat is older than this is dead. Default 5 seconds.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = DefaultHeartbeatTimeout;

    /// <summary>A replica that has written no heartbeat this long after it started is dead. Default 60 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = DefaultStartTimeout;

    /// <summary>The wait before starting a replica after the first crash; it doubles with each further crash. Default 1 second.</summary>
    public TimeSpan CrashBackoffInitial { get; init; } = DefaultCrashBackoffInitial;

    /// <summary>The longest wait before starting a replica after crashes. Default 5 minutes.</summary>
    public TimeSpan CrashBackoffMax { get; init; } = DefaultCrashBackoffMax;

    /// <summary>
    /// How long a replica started after the last crash must keep a fresh heartbeat before the crash count
    /// goes back to 0. Default 60 seconds.
    /// </summary>
    public TimeSpan StabilityWindow { get; init; } = DefaultStabilityWindow;

    /// <summary>Creates options with the timeouts of the config file and the other defaults.</summary>
    public static ScalingOptions FromSettings(AutoscalerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new() { HeartbeatTimeout = settings.HeartbeatTimeout, StartTimeout = settings.StartTimeout };
    }

    /// <summary>
    /// Returns the wait before the next start after <paramref name="crashCount"/> crashes:
    /// <see cref="CrashBackoffInitial"/> doubled for each crash after the first, at most <see cref="CrashBackoffMax"/>,
    /// and zero for no crash.
    /// </summary>
    public TimeSpan CrashBackoff(int crashCount)
    {
        if (crashCount <= 0)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(crashCount - 1, 40);
        var ticks = CrashBackoffInitial.Ticks * Math.Pow(2, doublings);
        return ticks >= CrashBackoffMax.Ticks ? CrashBackoffMax : TimeSpan.FromTicks((long)ticks);
    }
}
