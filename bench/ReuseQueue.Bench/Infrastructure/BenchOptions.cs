namespace ReuseQueue.Bench.Infrastructure;

/// <summary>Counts and durations of one benchmark run. Smoke mode checks that every figure can be produced, quickly.</summary>
public sealed record BenchOptions
{
    public required bool Smoke { get; init; }

    /// <summary>Folder that receives latest.json and latest.md.</summary>
    public required string ResultsDirectory { get; init; }

    /// <summary>Sequential calls per round-trip measurement, after <see cref="WarmupCalls"/>.</summary>
    public required int RoundTripCalls { get; init; }

    public required int WarmupCalls { get; init; }

    /// <summary>Requests kept in flight by the throughput measurements.</summary>
    public int InFlight { get; init; } = 64;

    /// <summary>How long each throughput cell is measured, after <see cref="ThroughputWarmup"/>.</summary>
    public required TimeSpan ThroughputWindow { get; init; }

    public required TimeSpan ThroughputWarmup { get; init; }

    public required int[] ReplicaCounts { get; init; }

    public required int[] Concurrencies { get; init; }

    /// <summary>Tasks run on a fresh replica process, and on a fresh container, one each.</summary>
    public required int ColdRuns { get; init; }

    /// <summary>Ticks of the fleet measurement, after two warm-up ticks.</summary>
    public required int FleetTicks { get; init; }

    public required int FleetEnvironments { get; init; }

    public int FleetReplicasPerEnvironment { get; init; } = 10;

    /// <summary>Whether the autoscaler scenario also runs with the Docker driver when a Docker engine and the image are present.</summary>
    public required bool AutoscalerWithDocker { get; init; }

    public static BenchOptions Create(bool smoke, string resultsDirectory) => smoke
        ? new BenchOptions
        {
            Smoke = true,
            ResultsDirectory = resultsDirectory,
            RoundTripCalls = 30,
            WarmupCalls = 10,
            ThroughputWindow = TimeSpan.FromMilliseconds(300),
            ThroughputWarmup = TimeSpan.FromMilliseconds(100),
            ReplicaCounts = [1, 2],
            Concurrencies = [16],
            ColdRuns = 1,
            FleetTicks = 2,
            FleetEnvironments = 100,
            AutoscalerWithDocker = false,
        }
        : new BenchOptions
        {
            Smoke = false,
            ResultsDirectory = resultsDirectory,
            RoundTripCalls = 2000,
            WarmupCalls = 300,
            ThroughputWindow = TimeSpan.FromSeconds(3),
            ThroughputWarmup = TimeSpan.FromSeconds(1),
            ReplicaCounts = [1, 2, 4],
            Concurrencies = [1, 16],
            ColdRuns = 5,
            FleetTicks = 20,
            FleetEnvironments = 1000,
            AutoscalerWithDocker = true,
        };
}
