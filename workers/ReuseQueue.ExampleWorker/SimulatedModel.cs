namespace ReuseQueue.ExampleWorker;

/// <summary>Stands in for an expensive model: loading it takes <see cref="ExampleTasks.ModelLoadTime"/>.</summary>
public sealed class SimulatedModel
{
    private static int _loadCount;

    private SimulatedModel(DateTimeOffset loadedAt)
    {
        LoadedAt = loadedAt;
    }

    /// <summary>How many times this process has loaded the model.</summary>
    public static int LoadCount => Volatile.Read(ref _loadCount);

    public DateTimeOffset LoadedAt { get; }

    public static async Task<SimulatedModel> LoadAsync()
    {
        await Task.Delay(ExampleTasks.ModelLoadTime);
        Interlocked.Increment(ref _loadCount);
        return new SimulatedModel(DateTimeOffset.UtcNow);
    }

    /// <summary>A deterministic score in [0, 1) derived from the text.</summary>
    public double Score(string text) => (uint)text.Aggregate(17, (hash, c) => hash * 31 + c) % 1000 / 1000.0;
}
