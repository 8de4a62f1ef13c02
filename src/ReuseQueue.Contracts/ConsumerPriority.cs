namespace ReuseQueue.Contracts;

/// <summary>
/// The consumer priority (<c>x-priority</c>) of a replica. RabbitMQ fills higher-priority consumers
/// first, so priority falls with start time: the oldest replica takes a trickle of tasks alone and
/// newer ones stay idle until the load needs them, which lets the autoscaler remove them.
/// </summary>
public static class ConsumerPriority
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A priority that falls by one per 100 ms of start time since 2025-01-01, so a replica started
    /// later ranks below every replica started at least 100 ms before it. It stays within the
    /// 32-bit range until about 2031.
    /// </summary>
    public static int ForStartTime(DateTimeOffset startedAt)
    {
        var tenths = (startedAt - Epoch).Ticks / (TimeSpan.TicksPerMillisecond * 100);
        return (int)Math.Clamp(-tenths, int.MinValue + 1, 0);
    }
}
