namespace ReuseQueue.Bench.Infrastructure;

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
public sealed record LatencyStats(int Count, double P50, double P99, double Mean, double Min, double Max)
{
    /// <summary>Computes nearest-rank percentiles of <paramref name="milliseconds"/>.</summary>
    public static LatencyStats Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            throw new ArgumentException("No latencies were recorded.", nameof(milliseconds));
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(
            sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Average(), sorted[0], sorted[^1]);
    }

    private static double Percentile(double[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
