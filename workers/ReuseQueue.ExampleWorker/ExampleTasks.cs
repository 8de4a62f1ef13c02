using System.Text.Json;
using ReuseQueue.Worker;

namespace ReuseQueue.ExampleWorker;

/// <summary>
/// The example environment's tasks. The fields of this class live as long as the replica process,
/// which is the point of reusable replicas: the model is loaded once, and counters keep counting.
/// </summary>
public sealed class ExampleTasks
{
    /// <summary>Time the simulated model takes to load, once per replica.</summary>
    public static readonly TimeSpan ModelLoadTime = TimeSpan.FromMilliseconds(500);

    private readonly Lazy<Task<SimulatedModel>> _model = new(SimulatedModel.LoadAsync);
    private int _callCount;
    private int _running;
    private int _maxRunning;

    public TaskHandlerRegistry Register(TaskHandlerRegistry registry) => registry
        .Map<EchoInput, JsonElement>("echo", (input, _, _) => Task.FromResult(input.Value))
        .Map<SleepInput, SleepOutput>("sleep", SleepAsync)
        .Map("count", CountAsync)
        .Map<PredictInput, PredictOutput>("predict", PredictAsync)
        .Map<SquareInput, long>("square", (input, _, _) => Task.FromResult(input.Value * input.Value))
        .Map<FanOutInput, FanOutOutput>("fanout", FanOutAsync)
        .Map<FailInput, JsonElement>("fail", (input, _, _) => throw new InvalidOperationException(input.Message));

    private async Task<SleepOutput> SleepAsync(SleepInput input, TaskContext context, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _running);
        UpdateMax(running);
        try
        {
            await Task.Delay(input.Milliseconds, cancellationToken);
            return new SleepOutput(context.ReplicaId, running, Volatile.Read(ref _maxRunning));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private Task<CountOutput> CountAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new CountOutput(context.ReplicaId, Interlocked.Increment(ref _callCount)));

    private async Task<PredictOutput> PredictAsync(PredictInput input, TaskContext context, CancellationToken cancellationToken)
    {
        var model = await _model.Value;
        return new PredictOutput(context.ReplicaId, model.LoadedAt, SimulatedModel.LoadCount, model.Score(input.Text));
    }

    private static async Task<FanOutOutput> FanOutAsync(FanOutInput input, TaskContext context, CancellationToken cancellationToken)
    {
        var children = Enumerable.Range(1, input.Children).Select(value =>
            context.Client.RunAsync<SquareInput, long>(
                context.Environment, "square", new SquareInput(value), cancellationToken: cancellationToken));
        var results = await Task.WhenAll(children);
        return new FanOutOutput(results);
    }

    private void UpdateMax(int running)
    {
        int observed;
        do
        {
            observed = Volatile.Read(ref _maxRunning);
        }
        while (running > observed && Interlocked.CompareExchange(ref _maxRunning, running, observed) != observed);
    }
}
