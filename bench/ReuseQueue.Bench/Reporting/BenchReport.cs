using System.Collections.Concurrent;

namespace ReuseQueue.Bench.Reporting;

/// <summary>Everything one run measured, written to latest.json as it is.</summary>
public sealed record BenchReport
{
    public required string Mode { get; init; }

    public required string RunId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; set; }

    public required MachineInfo Machine { get; init; }

    /// <summary>The settings of the run and of each measurement, by name.</summary>
    public SortedDictionary<string, string> Settings { get; init; } = [];

    public ConcurrentQueue<Figure> Figures { get; init; } = [];

    /// <summary>Observations that explain figures: what keeps a target from being met, or why a figure was not measured.</summary>
    public ConcurrentQueue<string> Notes { get; init; } = [];

    /// <summary>The autoscaler decisions of section 4 that started or stopped replicas, with seconds since its first message.</summary>
    public ConcurrentQueue<string> AutoscalerDecisions { get; init; } = [];

    /// <summary>Sections that failed because the harness or a service broke, with the error.</summary>
    public ConcurrentQueue<string> Errors { get; init; } = [];

    public static readonly IReadOnlyDictionary<int, string> SectionTitles = new Dictionary<int, string>
    {
        [1] = "Warm round trip, one task after another",
        [2] = "Throughput, 64 requests in flight",
        [3] = "Warm vs cold",
        [4] = "Autoscaler reaction",
        [5] = "Planner and observer at scale",
        [6] = "Footprint",
    };

    public void Add(Figure figure) => Figures.Enqueue(figure);

    public void Note(string text) => Notes.Enqueue(text);
}
