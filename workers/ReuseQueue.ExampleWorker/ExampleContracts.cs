using System.Text.Json;

namespace ReuseQueue.ExampleWorker;

public sealed record EchoInput(JsonElement Value);

/// <param name="Milliseconds">How long the task sleeps.</param>
public sealed record SleepInput(int Milliseconds);

/// <param name="Running">Sleep tasks running on this replica when this one started, itself included.</param>
/// <param name="MaxRunning">The most sleep tasks this replica has run at once so far.</param>
public sealed record SleepOutput(string ReplicaId, int Running, int MaxRunning);

/// <param name="Count">How many count tasks this replica has run, this one included.</param>
public sealed record CountOutput(string ReplicaId, int Count);

public sealed record PredictInput(string Text);

/// <param name="LoadCount">How many times this process has loaded the model: 1 on a reused replica.</param>
public sealed record PredictOutput(string ReplicaId, DateTimeOffset ModelLoadedAt, int LoadCount, double Score);

public sealed record SquareInput(long Value);

public sealed record FanOutInput(int Children);

public sealed record FanOutOutput(long[] Results);

public sealed record FailInput(string Message);
